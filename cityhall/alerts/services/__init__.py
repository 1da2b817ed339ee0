"""State changes of alerts: drafting, two-person approval and publication, updates and
cancellations, expiry. Every function runs in one transaction and writes the audit log;
publication starts the fan-out after commit and makes the public pages and feeds fresh.
"""

from cityhall.alerts.services.content import (
    AlertContent,
    AlertTexts,
    check_content,
    content_of,
    default_sender,
)
from cityhall.alerts.services.expiry import expire_alerts
from cityhall.alerts.services.followups import draft_cancellation, draft_update
from cityhall.alerts.services.workflow import (
    approve_alert,
    draft_alert,
    edit_draft,
    is_publisher,
    may_edit,
    reject_alert,
    submit_for_approval,
)

__all__ = [
    "AlertContent",
    "AlertTexts",
    "approve_alert",
    "check_content",
    "content_of",
    "default_sender",
    "draft_alert",
    "draft_cancellation",
    "draft_update",
    "edit_draft",
    "expire_alerts",
    "is_publisher",
    "may_edit",
    "reject_alert",
    "submit_for_approval",
]
