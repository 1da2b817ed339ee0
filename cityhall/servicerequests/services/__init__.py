"""State changes of service requests.

A request is submitted (validated, located, routed to a department, given an SLA due date and
checked for likely duplicates), then acknowledged, in progress (possibly on hold), resolved and
closed; staff may reject it or merge it into an earlier request as a duplicate, and its reporter
may reopen it within 14 days of resolution. Every function runs in one transaction, writes the
audit log and queues its emails after commit.
"""

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
    REOPEN_WINDOW,
    STAFF_TRANSITIONS,
    assign_service_request,
    change_service_request_status,
    follow_service_request,
    merge_duplicate,
)

__all__ = [
    "REOPEN_WINDOW",
    "STAFF_TRANSITIONS",
    "ClientDetails",
    "Contact",
    "HistoricalServiceRequest",
    "HistoricalStep",
    "Location",
    "assign_service_request",
    "change_service_request_status",
    "delete_historical_service_requests",
    "follow_service_request",
    "import_historical_service_requests",
    "merge_duplicate",
    "submit_service_request",
]
