"""What the appointments domain holds about a person: their bookings and calendar feed.

Erasure deletes the person's bookings (their counters' time is freed with them) and feed.
Bookings made with an email only are not tied to an account and are cleared by retention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cityhall.appointments.models import Booking, CalendarFeed
from cityhall.privacy.purposes import LegalBasis, Purpose, register_purpose
from cityhall.privacy.registry import (
    Erased,
    ExportTable,
    PersonalDataSource,
    export_rows,
    register_source,
)

if TYPE_CHECKING:
    from cityhall.accounts.models import User

APPOINTMENTS = register_purpose(
    Purpose(
        code="appointments",
        name=_("Keeping your appointments"),
        explanation=_(
            "Use your bookings and your email address to hold your time at a counter, "
            "confirm it and remind you of it."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_("Contact details"), _("Appointments")),
    )
)


def _count(user: User) -> int:
    return Booking.objects.filter(citizen=user).count()


def _export(user: User) -> list[ExportTable]:
    bookings = Booking.objects.filter(citizen=user).values(
        "public_id", "service__code", "facility__name_en", "starts_at", "ends_at", "status"
    )
    return [ExportTable("appointments", export_rows(bookings.iterator(chunk_size=2000)))]


def _erase(user: User) -> Erased:
    CalendarFeed.objects.filter(citizen=user).delete()
    # Booked cells go with their booking (CASCADE), freeing the counters' time.
    return Erased(deleted=Booking.objects.filter(citizen=user).delete()[0])


register_source(
    PersonalDataSource(
        code="appointments.bookings",
        name=_("Appointments"),
        description=_("The appointments you booked at the city's counters."),
        purposes=(APPOINTMENTS.code,),
        count=_count,
        export=_export,
        erase=_erase,
        retention=("appointments.guest_bookings",),
        models=("appointments.Booking", "appointments.CalendarFeed"),
    )
)
