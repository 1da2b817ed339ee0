"""What other domains may react to in a request's life, declared in one place.

Each signal is sent inside the transaction that made the change, so that a receiver can write
its own rows (an outbox of webhook deliveries, say) atomically with it. Receivers must not do
slow or external work inline: they record what to do and enqueue it with
`transaction.on_commit`. Every signal passes `service_request` and `actor` (None for an
anonymous citizen or the system).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A new request was filed. Extra argument: none.
service_request_created = Signal()
#: The status moved. Extra argument: `step`, the StatusChange just written.
service_request_status_changed = Signal()
#: The assignee or the assigned partner changed. Extra arguments: `assignee` (User or None),
#: `partner` (PartnerOrganisation or None).
service_request_assigned = Signal()
