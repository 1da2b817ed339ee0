"""Figures for the managers of the city's counters: waits, no-shows and how busy counters were.

Every figure is read over a period of local days, for one facility or all, by aggregate queries
(one per table, grouped in the database); only the counters' time on duty per hour of the day is
cut in Python, over the sessions of the period (a few per counter and day).

- A person's wait runs from joining the queue (ticket or check-in) to the first call; a
  transfer continues the same person's visit and is not counted again.
- A walk-in no-show was called and did not come; a missed booking is a confirmed booking of
  the past that was never checked in.
- A counter's utilisation is the time it held visits (call to end) over its time on duty; per
  hour of the day, a visit's time counts in the hour it was called.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import get_language

from cityhall.appointments.models import Booking, Counter, CounterService, CounterSession, Visit
from cityhall.appointments.slots import city_zone
from cityhall.places.models import Facility

#: The longest period one page reads.
MAX_PERIOD_DAYS = 366
#: A wait past this is counted as long.
LONG_WAIT = dt.timedelta(minutes=30)

_WAIT = ExpressionWrapper(F("called_at") - F("joined_at"), output_field=DurationField())
_HELD = ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField())
_FIRST_CALL = Q(transferred_from__isnull=True, called_at__isnull=False)
_ENDED_AT_COUNTER = Q(
    status__in=[Visit.Status.SERVED, Visit.Status.NO_SHOW, Visit.Status.TRANSFERRED],
    called_at__isnull=False,
    finished_at__isnull=False,
)


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


@dataclass
class WaitFigures:
    """The queue's figures for one group of visits (a facility, a service, an hour)."""

    visits: int = 0
    served: int = 0
    no_shows: int = 0
    called: int = 0
    long_waits: int = 0
    mean_wait: dt.timedelta | None = None
    booked: int = 0
    missed_bookings: int = 0

    @property
    def mean_wait_minutes(self) -> float | None:
        return self.mean_wait.total_seconds() / 60 if self.mean_wait is not None else None

    @property
    def long_wait_share(self) -> float | None:
        return self.long_waits / self.called if self.called else None

    @property
    def no_show_share(self) -> float | None:
        return self.no_shows / self.called if self.called else None

    @property
    def missed_booking_share(self) -> float | None:
        return self.missed_bookings / self.booked if self.booked else None

    @property
    def long_wait_percent(self) -> float | None:
        return _percent(self.long_wait_share)

    @property
    def no_show_percent(self) -> float | None:
        return _percent(self.no_show_share)

    @property
    def missed_booking_percent(self) -> float | None:
        return _percent(self.missed_booking_share)

    def add(self, other: WaitFigures) -> None:
        """Fold `other` into these figures (the mean wait weighted by the visits called)."""
        total = (self.mean_wait or dt.timedelta()) * self.called + (
            other.mean_wait or dt.timedelta()
        ) * other.called
        for name in ("visits", "served", "no_shows", "called", "long_waits", "booked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed_bookings += other.missed_bookings
        self.mean_wait = total / self.called if self.called else None


@dataclass
class Utilisation:
    on_duty: dt.timedelta = dt.timedelta()
    busy: dt.timedelta = dt.timedelta()

    @property
    def share(self) -> float | None:
        return self.busy / self.on_duty if self.on_duty else None

    @property
    def percent(self) -> float | None:
        return _percent(self.share)

    @property
    def on_duty_hours(self) -> float:
        return self.on_duty.total_seconds() / 3600

    @property
    def busy_hours(self) -> float:
        return self.busy.total_seconds() / 3600


@dataclass
class ServiceRow:
    facility: Facility
    service_name: str
    figures: WaitFigures


@dataclass
class FacilityRow:
    facility: Facility
    figures: WaitFigures = field(default_factory=WaitFigures)
    utilisation: Utilisation = field(default_factory=Utilisation)


@dataclass
class HourRow:
    hour: int
    figures: WaitFigures = field(default_factory=WaitFigures)
    utilisation: Utilisation = field(default_factory=Utilisation)


@dataclass
class CounterRow:
    facility: Facility
    label: str
    visits: int
    utilisation: Utilisation


@dataclass
class QueueFigures:
    first: dt.date
    last: dt.date
    facilities: list[FacilityRow]
    services: list[ServiceRow]
    hours: list[HourRow]
    counters: list[CounterRow]
    total: WaitFigures


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = city_zone()
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def _grouped(visits: QuerySet[Visit], *keys: str) -> dict[tuple[int, ...], WaitFigures]:
    """The visits' wait figures per value of `keys`, in one grouped query."""
    rows = (
        visits.values_list(*keys)
        .annotate(
            n_visits=Count("id", filter=Q(transferred_from__isnull=True)),
            n_served=Count("id", filter=Q(status=Visit.Status.SERVED)),
            n_no_shows=Count("id", filter=Q(status=Visit.Status.NO_SHOW)),
            n_called=Count("id", filter=_FIRST_CALL),
            n_long=Count("id", filter=_FIRST_CALL & Q(called_at__gt=F("joined_at") + LONG_WAIT)),
            wait=Avg(_WAIT, filter=_FIRST_CALL),
        )
        .order_by()
    )
    figures = {}
    for row in rows:
        *key, visits_, served, no_shows, called, long_waits, wait = row
        figures[tuple(key)] = WaitFigures(
            visits=visits_, served=served, no_shows=no_shows, called=called,
            long_waits=long_waits, mean_wait=_duration(wait),
        )  # fmt: skip
    return figures


def _duration(value: object) -> dt.timedelta | None:
    """An aggregate of durations: a timedelta, or microseconds where the database has no
    interval type (SQLite)."""
    if value is None or isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=float(value))  # type: ignore[arg-type]


def _missed_bookings(
    scope: Q, start: dt.datetime, end: dt.datetime
) -> dict[tuple[int, int], tuple[int, int]]:
    """(facility, service) → (confirmed bookings due in the period, never checked in)."""
    rows = (
        Booking.objects.filter(
            scope, status=Booking.Status.CONFIRMED, starts_at__gte=start, starts_at__lt=end
        )
        .values_list("facility_id", "service_id")
        .annotate(booked=Count("id"), missed=Count("id", filter=Q(visit__isnull=True)))
        .order_by()
    )
    return {(f, s): (booked, missed) for f, s, booked, missed in rows}


def _busy(visits: QuerySet[Visit], key: str) -> dict[int, tuple[dt.timedelta, int]]:
    """Per value of `key`: the time visits held a counter (call to end), and how many."""
    rows = (
        visits.filter(_ENDED_AT_COUNTER)
        .values_list(key)
        .annotate(held=Sum(_HELD), count=Count("id"))
        .order_by()
    )
    return {group: (_duration(held) or dt.timedelta(), count) for group, held, count in rows}


def _on_duty(
    facility: Facility | None, start: dt.datetime, end: dt.datetime
) -> tuple[dict[int, dt.timedelta], dict[int, dt.timedelta]]:
    """Time on duty per counter and per local hour of the day, sessions clipped to the period
    (a session still open counts up to `end`)."""
    per_counter: dict[int, dt.timedelta] = defaultdict(dt.timedelta)
    per_hour: dict[int, dt.timedelta] = defaultdict(dt.timedelta)
    sessions = CounterSession.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=start), opened_at__lt=end
    )
    if facility is not None:
        sessions = sessions.filter(counter__facility=facility)
    rows = sessions.values_list("counter_id", "opened_at", "closed_at")
    zone = city_zone()
    for counter_id, opened_at, closed_at in rows:
        since, until = max(opened_at, start), min(closed_at or end, end)
        if until <= since:
            continue
        per_counter[counter_id] += until - since
        moment = since.astimezone(zone)
        while moment < until:
            next_hour = (moment + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
            step_end = min(next_hour, until)
            per_hour[moment.hour] += step_end - moment
            moment = step_end.astimezone(zone)
    return per_counter, per_hour


def _localised(english: str, french: str) -> str:
    return french if (get_language() or "").startswith("fr") and french else english


def queue_figures(
    *,
    first: dt.date,
    last: dt.date,
    facility: Facility | None = None,
    now: dt.datetime | None = None,
) -> QueueFigures:
    """The figures of `facility` (or of every facility) from `first` to `last`, local days,
    as known at `now` (bookings still to come are not missed, open sessions count until now)."""
    start, end = _bounds(first, last)
    end = min(end, max(start, now or timezone.now()))
    scope = Q() if facility is None else Q(facility=facility)
    zone = city_zone()
    visits = Visit.objects.filter(scope, day__gte=first, day__lte=last)
    per_service = _grouped(visits, "facility_id", "service_id")
    for key, (booked, missed) in _missed_bookings(scope, start, end).items():
        figures = per_service.setdefault(key, WaitFigures())
        figures.booked, figures.missed_bookings = booked, missed
    per_hour = _grouped(visits.annotate(hour=ExtractHour("joined_at", tzinfo=zone)), "hour")
    busy_per_counter = _busy(visits, "counter_id")
    busy_per_hour = _busy(visits.annotate(hour=ExtractHour("called_at", tzinfo=zone)), "hour")
    duty_per_counter, duty_per_hour = _on_duty(facility, start, end)

    counters = Counter.objects.in_bulk(set(busy_per_counter) | set(duty_per_counter))
    places = Facility.objects.in_bulk(
        {f for f, _s in per_service} | {c.facility_id for c in counters.values()}
    )
    names = {
        pk: _localised(english, french)
        for pk, english, french in CounterService.objects.filter(
            pk__in={s for _f, s in per_service}
        ).values_list("pk", "name_en", "name_fr")
    }

    facility_rows = {pk: FacilityRow(place) for pk, place in places.items()}
    services, total = [], WaitFigures()
    for (facility_id, service_id), figures in per_service.items():
        services.append(ServiceRow(places[facility_id], names[service_id], figures))
        facility_rows[facility_id].figures.add(figures)
        total.add(figures)
    counter_rows = []
    for counter in counters.values():
        busy, held_visits = busy_per_counter.get(counter.pk, (dt.timedelta(), 0))
        utilisation = Utilisation(duty_per_counter.get(counter.pk, dt.timedelta()), busy)
        row = facility_rows[counter.facility_id].utilisation
        row.on_duty += utilisation.on_duty
        row.busy += utilisation.busy
        counter_rows.append(
            CounterRow(places[counter.facility_id], counter.label, held_visits, utilisation)
        )
    hours = [
        HourRow(
            hour,
            per_hour.get((hour,), WaitFigures()),
            Utilisation(
                duty_per_hour.get(hour, dt.timedelta()),
                busy_per_hour.get(hour, (dt.timedelta(), 0))[0],
            ),
        )
        for hour in range(24)
        if (hour,) in per_hour or hour in duty_per_hour
    ]
    return QueueFigures(
        first=first,
        last=last,
        facilities=sorted(facility_rows.values(), key=lambda row: row.facility.name),
        services=sorted(services, key=lambda row: (row.facility.name, row.service_name)),
        hours=hours,
        counters=sorted(counter_rows, key=lambda row: (row.facility.name, row.label)),
        total=total,
    )
