"""What the appointments domain holds about a person: their bookings and calendar feed, their
places on waiting lists, their queue tickets (visits), and for staff their time on duty at a
counter.

Erasure deletes the person's bookings (their counters' time is freed with them), feed and
counter sessions, and unties their visits from them (the visits stay for the figures).
Bookings made with an email only are not tied to an account and are cleared by retention, as
are the contacts left with a ticket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cityhall.appointments.models import (
    Booking,
    CalendarFeed,
    CounterSession,
    Visit,
    WaitingListEntry,
)
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


def _count_waiting(user: User) -> int:
    return WaitingListEntry.objects.filter(citizen=user).count()


def _export_waiting(user: User) -> list[ExportTable]:
    entries = WaitingListEntry.objects.filter(citizen=user).values(
        "public_id", "service__code", "facility__name_en", "first_day", "last_day", "status"
    )
    return [ExportTable("waiting_lists", export_rows(entries.iterator(chunk_size=2000)))]


def _erase_waiting(user: User) -> Erased:
    return Erased(deleted=WaitingListEntry.objects.filter(citizen=user).delete()[0])


register_source(
    PersonalDataSource(
        code="appointments.waiting_lists",
        name=_("Waiting lists"),
        description=_("Your places on waiting lists for a freed appointment time."),
        purposes=(APPOINTMENTS.code,),
        count=_count_waiting,
        export=_export_waiting,
        erase=_erase_waiting,
        retention=("appointments.guest_waiting_entries",),
        models=("appointments.WaitingListEntry",),
    )
)


def _count_visits(user: User) -> int:
    return Visit.objects.filter(citizen=user).count()


def _export_visits(user: User) -> list[ExportTable]:
    visits = Visit.objects.filter(citizen=user).values(
        "number", "service__code", "facility__name_en", "day", "status", "joined_at"
    )
    return [ExportTable("queue_visits", export_rows(visits.iterator(chunk_size=2000)))]


def _erase_visits(user: User) -> Erased:
    # The visits stay for the counters' figures, no longer tied to the person.
    return Erased(anonymised=Visit.objects.filter(citizen=user).update(citizen=None))


register_source(
    PersonalDataSource(
        code="appointments.visits",
        name=_("Queue tickets"),
        description=_(
            "Your tickets in the queues at the city's counters and your checked-in "
            "appointments: number, service, place and times."
        ),
        purposes=(APPOINTMENTS.code,),
        count=_count_visits,
        export=_export_visits,
        erase=_erase_visits,
        retention=("appointments.visit_contacts",),
        models=("appointments.Visit",),
    )
)


def _count_sessions(user: User) -> int:
    return CounterSession.objects.filter(staff=user).count()


def _export_sessions(user: User) -> list[ExportTable]:
    sessions = CounterSession.objects.filter(staff=user).values(
        "counter__facility__name_en", "counter__label", "opened_at", "closed_at"
    )
    return [ExportTable("counter_sessions", export_rows(sessions.iterator(chunk_size=2000)))]


def _erase_sessions(user: User) -> Erased:
    return Erased(deleted=CounterSession.objects.filter(staff=user).delete()[0])


register_source(
    PersonalDataSource(
        code="appointments.counter_sessions",
        name=_("Time on duty at a counter"),
        description=_("For staff: when you were on duty at which counter."),
        purposes=(APPOINTMENTS.code,),
        count=_count_sessions,
        export=_export_sessions,
        erase=_erase_sessions,
        models=("appointments.CounterSession",),
    )
)
