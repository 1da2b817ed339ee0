"""The staff back office's pages. Every page but sign-in needs a two-factor staff session."""

from django.urls import path

from cityhall.accounts.permissions import Capability
from cityhall.backoffice import (
    views,
    views_audit,
    views_auth,
    views_catalog,
    views_counter,
    views_integrations,
    views_notifications,
    views_partner_members,
    views_partners,
    views_processing,
    views_staff,
    views_teams,
    views_tokens,
)
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.views_alerts import authoring as alert_views
from cityhall.backoffice.views_alerts import incoming as incoming_alert_views
from cityhall.backoffice.views_alerts import partners as partner_area_views
from cityhall.backoffice.views_alerts import review as alert_review_views
from cityhall.backoffice.views_appointments import (
    facility_bookings,
    facility_closure_add,
    facility_closure_remove,
    facility_list,
)
from cityhall.backoffice.views_queue_figures import queue_figures_page
from cityhall.backoffice.views_requests import contact as contact_views
from cityhall.backoffice.views_requests import detail as request_views
from cityhall.backoffice.views_requests import handling as handling_views
from cityhall.backoffice.views_requests import map as map_views
from cityhall.backoffice.views_requests import photos as photo_views
from cityhall.backoffice.views_requests import queue as queue_views

app_name = "backoffice"
urlpatterns = [
    path(
        "",
        staff_member_required(capability=Capability.OPEN_BACK_OFFICE)(views.dashboard),
        name="dashboard",
    ),
    # Sign-in (cityhall.backoffice.views_auth): open to anyone.
    path("sign-in/", views_auth.sign_in, name="sign_in"),
    path("sign-in/code/", views_auth.two_factor, name="two_factor"),
    path("sign-in/set-up/", views_auth.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", views_auth.sign_out, name="sign_out"),
    # Bookings at the city's counters (cityhall.backoffice.views_appointments).
    path("appointments/", facility_list, name="appointments"),
    path("appointments/<uuid:public_id>/", facility_bookings, name="appointments_facility"),
    path(
        "appointments/<uuid:public_id>/closures/",
        facility_closure_add,
        name="appointments_closure_add",
    ),
    path(
        "appointments/closures/<uuid:public_id>/remove/",
        facility_closure_remove,
        name="appointments_closure_remove",
    ),
    # Managers' figures of the counters (cityhall.backoffice.views_queue_figures).
    path("appointments/figures/", queue_figures_page, name="queue_figures"),
    # The counter view: staff on duty call and serve visits (cityhall.backoffice.views_counter).
    path("counter/", views_counter.counter_home, name="counter"),
    path("counter/<uuid:public_id>/", views_counter.counter_page, name="counter_facility"),
    path(
        "counter/<uuid:public_id>/session/open/",
        views_counter.session_open,
        name="counter_session_open",
    ),
    path(
        "counter/<uuid:public_id>/session/close/",
        views_counter.session_close,
        name="counter_session_close",
    ),
    path("counter/<uuid:public_id>/call-next/", views_counter.next_visit, name="counter_call_next"),
    path("counter/<uuid:public_id>/tickets/", views_counter.counter_ticket, name="counter_ticket"),
    path(
        "counter/<uuid:public_id>/visits/<uuid:visit_id>/transfer/",
        views_counter.visit_transfer,
        name="counter_transfer",
    ),
    path(
        "counter/<uuid:public_id>/visits/<uuid:visit_id>/<slug:step>/",
        views_counter.visit_step,
        name="counter_visit_step",
    ),
    path(
        "counter/<uuid:public_id>/bookings/<uuid:booking_id>/check-in/",
        views_counter.booking_check_in,
        name="counter_check_in",
    ),
    # The staff member's own API tokens (cityhall.backoffice.views_tokens).
    path("my-tokens/", views_tokens.my_tokens, name="my_tokens"),
    path(
        "my-tokens/<uuid:public_id>/revoke/", views_tokens.my_token_revoke, name="my_token_revoke"
    ),
    # Staff and roles (cityhall.backoffice.views_staff).
    path("staff-members/", views_staff.staff_list, name="staff"),
    path("staff-members/new/", views_staff.staff_create, name="staff_create"),
    path("staff-members/<uuid:public_id>/", views_staff.staff_detail, name="staff_detail"),
    path(
        "staff-members/<uuid:public_id>/two-factor/reset/",
        views_staff.staff_totp_reset,
        name="staff_totp_reset",
    ),
    path("roles/<uuid:public_id>/revoke/", views_staff.staff_role_revoke, name="staff_role_revoke"),
    # Teams of departments (cityhall.backoffice.views_teams).
    path("teams/", views_teams.team_list, name="teams"),
    path("teams/new/", views_teams.team_create, name="team_create"),
    path("teams/<uuid:public_id>/", views_teams.team_detail, name="team_detail"),
    # Partners and API keys (cityhall.backoffice.views_partners).
    path("partners/", views_partners.partner_list, name="partners"),
    path("partners/new/", views_partners.partner_create, name="partner_create"),
    path("partners/<uuid:public_id>/", views_partners.partner_detail, name="partner_detail"),
    path("partners/<uuid:public_id>/keys/", views_partners.api_key_create, name="api_key_create"),
    path("keys/<uuid:public_id>/revoke/", views_partners.api_key_revoke, name="api_key_revoke"),
    path(
        "partners/<uuid:public_id>/members/",
        views_partner_members.partner_member_add,
        name="partner_member_add",
    ),
    path(
        "memberships/<uuid:public_id>/remove/",
        views_partner_members.partner_member_remove,
        name="partner_member_remove",
    ),
    # Webhooks (cityhall.backoffice.views_integrations).
    path("webhooks/", views_integrations.webhook_list, name="webhooks"),
    path("webhooks/new/", views_integrations.webhook_create, name="webhook_create"),
    path("webhooks/deliveries/", views_integrations.webhook_deliveries, name="webhook_deliveries"),
    path(
        "webhooks/deliveries/<uuid:public_id>/",
        views_integrations.webhook_delivery_detail,
        name="webhook_delivery",
    ),
    path(
        "webhooks/deliveries/<uuid:public_id>/redeliver/",
        views_integrations.webhook_redeliver,
        name="webhook_redeliver",
    ),
    path("webhooks/<uuid:public_id>/", views_integrations.webhook_detail, name="webhook_detail"),
    path(
        "webhooks/<uuid:public_id>/disable/",
        views_integrations.webhook_disable,
        name="webhook_disable",
    ),
    # The service catalog (cityhall.backoffice.views_catalog).
    path("services/", views_catalog.service_list, name="services"),
    path("services/new/", views_catalog.service_create, name="service_create"),
    path("services/<uuid:public_id>/", views_catalog.service_detail, name="service_detail"),
    path(
        "services/<uuid:public_id>/deactivate/",
        views_catalog.service_deactivate,
        name="service_deactivate",
    ),
    path(
        "services/<uuid:public_id>/routing/", views_catalog.service_routing, name="service_routing"
    ),
    path(
        "services/<uuid:public_id>/questions/new/",
        views_catalog.service_field_create,
        name="service_field_create",
    ),
    path(
        "questions/<uuid:public_id>/",
        views_catalog.service_field_detail,
        name="service_field_detail",
    ),
    path(
        "questions/<uuid:public_id>/remove/",
        views_catalog.service_field_remove,
        name="service_field_remove",
    ),
    # Notification texts, messages and figures (cityhall.backoffice.views_notifications).
    path(
        "notifications/", views_notifications.notification_templates, name="notification_templates"
    ),
    path(
        "notifications/texts/<uuid:public_id>/",
        views_notifications.notification_template_edit,
        name="notification_template_edit",
    ),
    path(
        "notifications/events/<slug:code>/<str:language>/new/",
        views_notifications.notification_template_create,
        name="notification_template_create",
    ),
    path(
        "notifications/preview/",
        views_notifications.notification_template_preview,
        name="notification_template_preview",
    ),
    path(
        "notifications/messages/",
        views_notifications.notification_messages,
        name="notification_messages",
    ),
    path(
        "notifications/figures/",
        views_notifications.notification_figures,
        name="notification_figures",
    ),
    # The records of processing (cityhall.backoffice.views_processing).
    path("privacy/processing/", views_processing.processing_register, name="processing_register"),
    # Who looked at citizens' requests (cityhall.backoffice.views_audit).
    path("privacy/access-log/", views_audit.audit_log, name="audit_log"),
    # The work queue (cityhall.backoffice.views_requests).
    path("requests/", queue_views.request_queue, name="queue"),
    path("requests/bulk/", queue_views.request_queue_bulk, name="queue_bulk"),
    path("requests/map/", map_views.request_map, name="request_map"),
    path("requests/map/points/", map_views.request_map_points, name="request_map_points"),
    path("request-photos/<uuid:public_id>/", photo_views.request_photo, name="request_photo"),
    path("requests/<uuid:public_id>/", request_views.request_detail, name="request_detail"),
    path(
        "requests/<uuid:public_id>/status/",
        handling_views.request_change_status,
        name="request_change_status",
    ),
    path("requests/<uuid:public_id>/assign/", request_views.request_assign, name="request_assign"),
    path("requests/<uuid:public_id>/merge/", request_views.request_merge, name="request_merge"),
    path(
        "requests/<uuid:public_id>/contact/",
        contact_views.request_reveal_contact,
        name="request_reveal_contact",
    ),
    path("requests/<uuid:public_id>/split/", handling_views.request_split, name="request_split"),
    path(
        "requests/<uuid:public_id>/reroute/",
        handling_views.request_reroute,
        name="request_reroute",
    ),
    path(
        "requests/<uuid:public_id>/partner/",
        handling_views.request_assign_partner,
        name="request_assign_partner",
    ),
    path(
        "requests/<uuid:public_id>/team/",
        handling_views.request_assign_team,
        name="request_assign_team",
    ),
    path(
        "requests/<uuid:public_id>/due-date/",
        handling_views.request_move_due_date,
        name="request_move_due_date",
    ),
    path(
        "requests/<uuid:public_id>/update/",
        handling_views.request_public_update,
        name="request_public_update",
    ),
    # Emergency alerts (cityhall.backoffice.views_alerts).
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/new/", alert_views.alert_new, name="alert_new"),
    path("alerts/reach/", alert_views.alert_reach, name="alert_reach"),
    path("alerts/incoming/", incoming_alert_views.incoming_list, name="incoming_alerts"),
    path(
        "alerts/incoming/<uuid:public_id>/",
        incoming_alert_views.incoming_detail,
        name="incoming_alert",
    ),
    path("alerts/partner-areas/", partner_area_views.partner_areas, name="partner_alert_areas"),
    path(
        "alerts/partner-areas/<uuid:public_id>/",
        partner_area_views.partner_area_edit,
        name="partner_alert_area",
    ),
    path("alerts/<uuid:public_id>/", alert_review_views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:public_id>/edit/", alert_views.alert_edit, name="alert_edit"),
    path("alerts/<uuid:public_id>/update/", alert_views.alert_update, name="alert_update"),
    path("alerts/<uuid:public_id>/cancel/", alert_views.alert_cancel, name="alert_cancel"),
    path("alerts/<uuid:public_id>/submit/", alert_review_views.alert_submit, name="alert_submit"),
    path(
        "alerts/<uuid:public_id>/approve/", alert_review_views.alert_approve, name="alert_approve"
    ),
    path("alerts/<uuid:public_id>/reject/", alert_review_views.alert_reject, name="alert_reject"),
    path("alerts/<uuid:public_id>/cap/", alert_review_views.alert_cap_preview, name="alert_cap"),
    path(
        "alerts/<uuid:public_id>/figures/", alert_review_views.alert_figures, name="alert_figures"
    ),
]
