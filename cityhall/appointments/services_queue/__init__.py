"""State changes of the virtual queue: tickets, check-in, counters on duty, calling, serving.

Each function is one transaction with an explicit actor and writes one audit line
("queue.<step>", no personal data). The rules of the call order are in rules.py; what the
holders are told when nearly next, in nearly_next.py.
"""

from cityhall.appointments.services_queue.calling import call_next, recall_visit
from cityhall.appointments.services_queue.check_in import check_in_booking
from cityhall.appointments.services_queue.serving import (
    finish_visit,
    mark_no_show,
    start_serving,
    transfer_visit,
)
from cityhall.appointments.services_queue.sessions import (
    close_counter_session,
    open_counter_session,
)
from cityhall.appointments.services_queue.tickets import cancel_ticket, take_ticket

__all__ = [
    "call_next",
    "cancel_ticket",
    "check_in_booking",
    "close_counter_session",
    "finish_visit",
    "mark_no_show",
    "open_counter_session",
    "recall_visit",
    "start_serving",
    "take_ticket",
    "transfer_visit",
]
