"""When counters are usually on duty, learnt from past counter sessions.

Pure functions: no database here. A facility's staff follow a routine (who opens at 8:30, who
takes lunch at 11:30, the extra desk at the morning peak); the counters open now are known, but
the wait of someone joining at 11:20 depends on the lunch breaks ahead. For each counter, the
share of past days it was on duty at each `STEP` of the day gives its usual roster: on duty
where at least half the days were. Without `MINIMUM_DAYS` of history there is no roster, and
the counters open now are assumed to stay open.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

STEP_MINUTES = 5
SLOTS = 24 * 60 // STEP_MINUTES
MINIMUM_DAYS = 3
ON_DUTY_SHARE = 0.5
#: A counter whose usual day ends this close to the facility's last desk stays on duty until
#: the queue is empty (tickets stop at closing time; the people holding them are served).
CLOSING_SLACK = dt.timedelta(minutes=10)

#: A span on duty: from, until (None: until everyone waiting is served).
Shift = tuple[dt.datetime, dt.datetime | None]


@dataclass(frozen=True)
class PastSession:
    counter_id: int
    opened_at: dt.datetime
    closed_at: dt.datetime


def _slot(moment: dt.datetime) -> int:
    return (moment.hour * 60 + moment.minute) // STEP_MINUTES


def _runs(slots: Iterable[bool]) -> tuple[tuple[int, int], ...]:
    """The spans of True in `slots`, as (first slot, slot after the last)."""
    runs, start = [], None
    for index, on in enumerate((*slots, False)):
        if on and start is None:
            start = index
        elif not on and start is not None:
            runs.append((start, index))
            start = None
    return tuple(runs)


@dataclass(frozen=True)
class Roster:
    """Per counter, its usual spans on duty in a day, as (first step, step after the last)."""

    zone: ZoneInfo
    runs: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    @property
    def _last_slot(self) -> int:
        return max((end for spans in self.runs.values() for _s, end in spans), default=0)

    def shifts(self, counter_id: int, now: dt.datetime, *, open_now: bool) -> list[Shift]:
        """The counter's spans on duty from `now` to the end of today.

        Open now: on duty until its usual span in progress (or next) ends, then its later usual
        spans. Closed now: only its usual spans that begin later today.
        """
        if not self.runs:
            return [(now, None)] if open_now else []
        local = now.astimezone(self.zone)
        midnight = dt.datetime.combine(local.date(), dt.time(), tzinfo=self.zone)
        step = dt.timedelta(minutes=STEP_MINUTES)
        slack_slots = CLOSING_SLACK // step
        last_slot = self._last_slot
        slot_now = _slot(local)
        shifts: list[Shift] = []
        runs = [(start, end) for start, end in self.runs.get(counter_id, ()) if end > slot_now]
        for start, end in runs:
            if start <= slot_now and not open_now:
                continue  # usually here by now, but not today
            begins = now if start <= slot_now else midnight + start * step
            ends = None if end >= last_slot - slack_slots else midnight + end * step
            if open_now and not shifts:
                begins = now
            shifts.append((begins, ends))
        if open_now and not shifts:
            shifts.append((now, None))  # on duty against its routine: until the queue is served
        return shifts


def learn_roster(sessions: Iterable[PastSession], zone: ZoneInfo) -> Roster:
    """Each counter's usual spans on duty over the days its facility had sessions."""
    days: set[dt.date] = set()
    # Per counter and slot, the days it was on duty then (two sessions of a day count once).
    seen: dict[int, list[set[dt.date]]] = defaultdict(lambda: [set() for _ in range(SLOTS)])
    for session in sessions:
        opened = session.opened_at.astimezone(zone)
        closed = session.closed_at.astimezone(zone)
        if closed.date() != opened.date():
            closed = dt.datetime.combine(opened.date(), dt.time.max, tzinfo=zone)
        days.add(opened.date())
        for slot in range(_slot(opened), _slot(closed - dt.timedelta(microseconds=1)) + 1):
            seen[session.counter_id][slot].add(opened.date())
    if len(days) < MINIMUM_DAYS:
        return Roster(zone)
    threshold = ON_DUTY_SHARE * len(days)
    return Roster(
        zone,
        {counter: _runs(len(on) >= threshold for on in row) for counter, row in seen.items()},
    )
