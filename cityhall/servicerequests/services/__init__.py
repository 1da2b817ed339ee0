"""State changes of service requests.

A request is submitted (validated, located, routed to a department, given an SLA due date and
checked for likely duplicates), then acknowledged, in progress (possibly on hold), resolved and
closed; staff may reject it or merge it into an earlier request as a duplicate, and its reporter
may reopen it within 14 days of resolution and rate its handling. Staff assign it to an agent,
a team of its department, another department or a partner organisation, move its due date
with a reason, and split a merged duplicate back out. Department administrators keep the
department's teams. Citizens follow and unfollow others' requests. The reporter and followers
comment on a request for its staff, who add internal notes to its timeline. Every function runs
in one transaction, writes the audit log and queues its notifications after commit.
"""

from cityhall.servicerequests.services.assignment import (
    assign_partner,
    assign_service_request,
    assign_team,
    reroute_service_request,
)
from cityhall.servicerequests.services.comments import (
    COMMENT_MAX_LENGTH,
    add_comment,
    add_internal_note,
    may_comment,
)
from cityhall.servicerequests.services.deadlines import move_due_date, warn_and_escalate
from cityhall.servicerequests.services.history import (
    HistoricalServiceRequest,
    HistoricalStep,
    delete_historical_service_requests,
    import_historical_service_requests,
)
from cityhall.servicerequests.services.intake import (
    ClientDetails,
    Contact,
    Location,
    submit_service_request,
)
from cityhall.servicerequests.services.lifecycle import (
    PARTNER_TRANSITIONS,
    REOPEN_WINDOW,
    STAFF_TRANSITIONS,
    change_service_request_status,
    follow_service_request,
    merge_duplicate,
    post_public_update,
    split_duplicate,
    unfollow_service_request,
)
from cityhall.servicerequests.services.satisfaction import can_rate, rate_service_request
from cityhall.servicerequests.services.teams import TEAM_SAVED, save_team

__all__ = [
    "COMMENT_MAX_LENGTH",
    "PARTNER_TRANSITIONS",
    "REOPEN_WINDOW",
    "STAFF_TRANSITIONS",
    "TEAM_SAVED",
    "ClientDetails",
    "Contact",
    "HistoricalServiceRequest",
    "HistoricalStep",
    "Location",
    "add_comment",
    "add_internal_note",
    "assign_partner",
    "assign_service_request",
    "assign_team",
    "can_rate",
    "change_service_request_status",
    "delete_historical_service_requests",
    "follow_service_request",
    "import_historical_service_requests",
    "may_comment",
    "merge_duplicate",
    "move_due_date",
    "post_public_update",
    "rate_service_request",
    "reroute_service_request",
    "save_team",
    "split_duplicate",
    "submit_service_request",
    "unfollow_service_request",
    "warn_and_escalate",
]
