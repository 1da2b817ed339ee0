"""What other domains may react to in the privacy domain, declared in one place.

Both signals are sent after the transaction that recorded the decision commits, so that a
receiver never acts on a decision that was rolled back. Arguments: `user` (the person),
`purpose_code` (a code of `privacy.purposes`) and `source` (a `ConsentRecord.Source` value).
"""

from __future__ import annotations

from django.dispatch import Signal

#: The person withdrew consent for a purpose: each domain that used their data for it stops,
#: and deletes what it derived for that purpose alone (queued messages, features, copies).
consent_withdrawn = Signal()
#: The person gave consent for a purpose (after having withdrawn it, or for the first time).
consent_given = Signal()
