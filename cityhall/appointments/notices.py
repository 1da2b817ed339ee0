"""Telling people about their bookings: confirmations, changes and reminders.

A citizen with an account is told through `notifications.notify` (topic "appointments", one
template code per event, seeded in English and French by migration 0002), which knows nothing of
appointments: it gets the words, the link and an event key. Someone who booked with an email
only gets a plain email in the language they booked in, with the appointment as an iCalendar
attachment (calendar.py) and the signed links (links.py); an account holder's email carries
the same file. The waiting list's messages (an offered time; a guest's email to confirm) are
sent the same two ways (`send_waiting_list_notice`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from cityhall.appointments.calendar import booking_calendar
from cityhall.appointments.links import confirmation_token, management_token
from cityhall.appointments.models import Booking, WaitingListEntry
from cityhall.appointments.slots import city_zone
from cityhall.appointments.waiting_links import (
    confirmation_token as waiting_confirmation_token,
)
from cityhall.appointments.waiting_links import (
    management_token as waiting_management_token,
)
from cityhall.appointments.waiting_links import offer_token
from cityhall.notifications.models import Topic
from cityhall.notifications.services import Attachment, notify

#: Event → notification template code (for account holders).
TEMPLATES = {
    "confirmed": "appointment-confirmed",
    "rescheduled": "appointment-rescheduled",
    "cancelled": "appointment-cancelled",
    "reminder_day_before": "appointment-reminder",
    "reminder_two_hours": "appointment-reminder",
    "waiting_offer": "appointment-waiting-offer",
}
CALENDAR_FILE = "appointment.ics"
#: Events whose email carries the appointment as an iCalendar file.
WITH_CALENDAR = {"confirmed", "rescheduled", "reminder_day_before", "reminder_two_hours"}


def _absolute(path: str) -> str:
    return f"{settings.CITYHALL_BASE_URL.rstrip('/')}{path}"


def _context(booking: Booking) -> dict[str, Any]:
    """The words of a message about `booking`, in the active language."""
    local = booking.starts_at.astimezone(city_zone())
    return {
        "service": booking.service.name,
        "place": booking.facility.name,
        "address": booking.facility.address_text,
        "when": formats.date_format(local, "DATETIME_FORMAT"),
        "documents": booking.service.documents,
    }


def send_booking_notice(booking: Booking, event: str) -> bool:
    """Send the message for `event` about `booking`; False when there is nobody to tell."""
    citizen = booking.citizen
    if citizen is not None:
        if not citizen.is_active:
            return False
        with translation.override(citizen.preferred_language or settings.LANGUAGE_CODE):
            context = _context(booking)
            context["link"] = _absolute(reverse("portal:my_appointments"))
        calendar = booking_calendar([booking]) if event in WITH_CALENDAR else ""
        notify(
            recipient=citizen,
            topic=Topic.APPOINTMENTS,
            template=TEMPLATES[event],
            context=context,
            event_key=f"appointment:{booking.public_id}:{event}:{booking.starts_at.isoformat()}",
            attachments=[Attachment(CALENDAR_FILE, "text/calendar", calendar)] if calendar else [],
        )
        return True
    if not booking.contact_email:
        return False
    _send_guest_email(booking, event)
    return True


def _send_guest_email(booking: Booking, event: str) -> None:
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        context: dict[str, Any] = {**_context(booking), "city_name": settings.CITYHALL_CITY_NAME}
        if event == "confirm_email":
            context["confirm_link"] = _absolute(
                reverse("portal:confirm_appointment", args=[confirmation_token(booking)])
            )
        context["manage_link"] = _absolute(
            reverse("portal:manage_appointment", args=[management_token(booking)])
        )
        subject = render_to_string(f"appointments/email/{event}_subject.txt", context)
        body = render_to_string(f"appointments/email/{event}_body.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()), body=body, to=[booking.contact_email]
        )
        if event in WITH_CALENDAR:
            message.attach(CALENDAR_FILE, booking_calendar([booking]), "text/calendar")
    message.send()


def send_waiting_list_notice(entry: WaitingListEntry, event: str) -> bool:
    """Send "waiting_offer" (a time held for the entry) or "waiting_confirm" (a guest's email
    to confirm); False when there is nobody to tell or the offer is no longer open."""
    if event == "waiting_offer" and (
        entry.status != WaitingListEntry.Status.OFFERED or entry.offered_booking is None
    ):
        return False
    offer_link = (
        _absolute(reverse("portal:waiting_offer", args=[offer_token(entry)]))
        if event == "waiting_offer"
        else ""
    )
    minutes = settings.APPOINTMENTS_WAITING_OFFER_MINUTES
    citizen = entry.citizen
    if citizen is not None:
        if not citizen.is_active or entry.offered_booking is None:
            return False
        with translation.override(citizen.preferred_language or settings.LANGUAGE_CODE):
            context = {**_context(entry.offered_booking), "minutes": minutes, "link": offer_link}
        notify(
            recipient=citizen,
            topic=Topic.APPOINTMENTS,
            template=TEMPLATES[event],
            context=context,
            event_key=f"waiting:{entry.public_id}:offer:{entry.offered_booking.public_id}",
        )
        return True
    with translation.override(entry.language or settings.LANGUAGE_CODE):
        details: dict[str, Any] = {
            "city_name": settings.CITYHALL_CITY_NAME,
            "service": entry.service.name,
            "place": entry.facility.name,
            "first_day": formats.date_format(entry.first_day, "DATE_FORMAT"),
            "last_day": formats.date_format(entry.last_day, "DATE_FORMAT"),
            "minutes": minutes,
            "offer_link": offer_link,
            "manage_link": _absolute(
                reverse("portal:waiting_entry", args=[waiting_management_token(entry)])
            ),
            "confirm_link": _absolute(
                reverse("portal:confirm_waiting_entry", args=[waiting_confirmation_token(entry)])
            ),
        }
        if entry.offered_booking is not None:
            details.update(_context(entry.offered_booking))
        subject = render_to_string(f"appointments/email/{event}_subject.txt", details)
        body = render_to_string(f"appointments/email/{event}_body.txt", details)
    EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[entry.contact_email]
    ).send()
    return True
