"""Forms for the account pages of the portal and the back office.

Forms check shape only (required, formats, lengths); the rules live in the services, whose
errors `show_service_error` puts next to the fields they name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import PartnerOrganisation, StaffRole, User
from cityhall.accounts.scopes import ApiScope
from cityhall.catalog.models import Department
from cityhall.core.errors import CityHallError
from cityhall.core.forms import PublicIdChoiceField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PASSWORD_HELP = _("At least 10 characters. A few unrelated words make a strong password.")


def _email_field(**kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


def _password_field(label: StrOrPromise, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language for emails and messages"), choices=User.Language.choices
    )


def show_service_error(form: forms.Form, error: CityHallError) -> None:
    """Attach a service's error to `form`: field errors next to their fields, the rest on top."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Optional. Staff use it when they answer your requests."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _email_field()
    password = _password_field(_("Password"), "new-password", help_text=PASSWORD_HELP)
    preferred_language = _language_field()


class SignInForm(forms.Form):
    email = _email_field()
    password = _password_field(_("Password"), "current-password")

    #: Set by `sign_in` when the refusal is a lock-out, so that views answer 429.
    is_locked = False

    def sign_in(self, *, ip_address: str | None) -> User | None:
        """Check the valid form's credentials with the sign-in service.

        Returns the user, or None with the service's neutral message on the form.
        """
        from cityhall.accounts.errors import SignInFailed, SignInLocked
        from cityhall.accounts.services import sign_in_with_password

        try:
            return sign_in_with_password(
                email=self.cleaned_data["email"],
                password=self.cleaned_data["password"],
                ip_address=ip_address,
            )
        except SignInLocked as error:
            self.is_locked = True
            show_service_error(self, error)
        except SignInFailed as error:
            show_service_error(self, error)
        return None


class EmailForm(forms.Form):
    email = _email_field()


class NewPasswordForm(forms.Form):
    new_password = _password_field(_("New password"), "new-password", help_text=PASSWORD_HELP)


class ChangePasswordForm(forms.Form):
    current_password = _password_field(_("Current password"), "current-password")
    new_password = _password_field(_("New password"), "new-password", help_text=PASSWORD_HELP)


class AccountDetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_language = _language_field()


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("6 digits. A new code appears every 30 seconds."),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class StaffUserForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Work email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class GrantStaffRoleForm(forms.Form):
    """Pass the departments the granting administrator manages; `city_wide` offers the roles
    and the "city-wide" choice only a city administrator may grant."""

    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
    department = PublicIdChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("City-wide (every department)"),
    )

    def __init__(
        self, *args: Any, departments: QuerySet[Department], city_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        department_field = self.fields["department"]
        assert isinstance(department_field, PublicIdChoiceField)
        department_field.queryset = departments.order_by("name_en")
        if not city_wide:
            department_field.required = True
            department_field.empty_label = None
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [
                (value, label)
                for value, label in StaffRole.Role.choices
                if value != StaffRole.Role.CITY_ADMIN
            ]


class PartnerOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=PartnerOrganisation.Kind.choices
    )
    email = forms.EmailField(
        label=_("Contact email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("Say where the key will be used, for example “Work orders system”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class StaffAccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Say where the token will be used, for example “Dispatch script”."),
    )
    days = forms.IntegerField(label=_("Days until it expires"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read here, not at import: the limit is a setting.
        limit = settings.STAFF_ACCESS_TOKEN_MAX_DAYS
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = limit
        days.validators.append(MaxValueValidator(limit))
        days.widget.attrs["max"] = limit
        days.initial = limit
        days.help_text = _("At most %(days)d days.") % {"days": limit}


class PartnerMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of their account"),
        max_length=254,
        help_text=_("The person must first create an account on the public site."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    is_manager = forms.BooleanField(label=_("Can manage the organisation"), required=False)
