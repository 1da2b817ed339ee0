"""The signed-in citizen's privacy choices: each purpose that needs their consent, their current
choice and when they made it, a button to give or withdraw it, and the history of decisions.

Each purpose is shown with exactly the words the ledger records (`text_shown_for`, in the page's
language), so that what a person agreed to can be shown to them later word for word.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput
from cityhall.privacy.consent_forms import GIVE, ConsentDecisionForm
from cityhall.privacy.consents import consent_choices_for, consent_history_for
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import purpose
from cityhall.privacy.services.consents import give_consent, withdraw_consent


@login_required
@require_http_methods(["GET", "POST"])
def privacy_choices(request: HttpRequest) -> HttpResponse:
    """Show the choices; a POST gives or withdraws one consent, then shows the page again."""
    user = request.user
    assert isinstance(user, User)  # login_required
    form = ConsentDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _decide(request, user, form):
        return redirect("portal:privacy_choices")
    choices = consent_choices_for(user)
    names = {choice.purpose.code: choice.purpose.name for choice in choices}
    context = {
        "form": form,
        "choices": choices,
        "history": [
            (record, names.get(record.purpose, record.purpose), _source_label(record.source))
            for record in consent_history_for(user)
        ],
    }
    return render(
        request,
        "portal/account/privacy_choices.html",
        context,
        status=400 if form.errors else 200,
    )


def _source_label(source: str) -> str:
    if source in ConsentRecord.Source.values:
        return str(ConsentRecord.Source(source).label)
    return source


def _decide(request: HttpRequest, user: User, form: ConsentDecisionForm) -> bool:
    """Record the decision the valid `form` carries; False with the form's error if refused."""
    code = form.cleaned_data["purpose"]
    is_given = form.cleaned_data["decision"] == GIVE
    decide = give_consent if is_given else withdraw_consent
    try:
        decide(
            actor=user,
            user=user,
            purpose_code=code,
            language=get_language() or "en",
            source=ConsentRecord.Source.PORTAL,
        )
    except InvalidInput as error:
        form.add_error(None, error.message)
        return False
    name = purpose(code).name
    if is_given:
        messages.success(request, _("You allowed: %(name)s.") % {"name": name})
    else:
        messages.success(request, _("You withdrew: %(name)s.") % {"name": name})
    return True
