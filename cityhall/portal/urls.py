"""The citizen portal's pages."""

from django.urls import include, path

from cityhall.portal import (
    views,
    views_appointments,
    views_notifications,
    views_processing,
    views_waiting_list,
)
from cityhall.portal.account import access_log, my_account, my_data, passwords, sign_in, sign_up
from cityhall.portal.account.privacy_choices import privacy_choices
from cityhall.portal.views_requests import (
    filing,
    map_data,
    partner_queue,
    rating,
    services_pages,
    status,
    tracking,
)
from cityhall.portal.views_requests import photos as photo_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "privacy/processing/",
        views_processing.processing_register,
        name="processing_register",
    ),
    # Appointments at the city's counters (cityhall.portal.views_appointments).
    path("appointments/book/", views_appointments.book, name="book_appointment"),
    path("appointments/booked/", views_appointments.booked, name="appointment_booked"),
    path("appointments/mine/", views_appointments.my_appointments, name="my_appointments"),
    path(
        "appointments/mine/<uuid:public_id>/", views_appointments.manage_mine, name="my_appointment"
    ),
    path(
        "appointments/confirm/<str:token>/", views_appointments.confirm, name="confirm_appointment"
    ),
    path(
        "appointments/manage/<str:token>/",
        views_appointments.manage_by_link,
        name="manage_appointment",
    ),
    path("appointments/feed/<str:token>.ics", views_appointments.feed, name="appointment_feed"),
    # The appointments' waiting list (cityhall.portal.views_waiting_list).
    path("appointments/waiting-list/join/", views_waiting_list.join, name="join_waiting_list"),
    path(
        "appointments/waiting-list/joined/",
        views_waiting_list.joined,
        name="waiting_list_joined",
    ),
    path(
        "appointments/waiting-list/confirm/<str:token>/",
        views_waiting_list.confirm,
        name="confirm_waiting_entry",
    ),
    path(
        "appointments/waiting-list/entry/<str:token>/",
        views_waiting_list.entry_by_link,
        name="waiting_entry",
    ),
    path(
        "appointments/waiting-list/offer/<str:token>/",
        views_waiting_list.offer,
        name="waiting_offer",
    ),
    path(
        "appointments/waiting-list/mine/<uuid:public_id>/",
        views_waiting_list.answer_mine,
        name="my_waiting_entry",
    ),
    # The virtual queue: walk-in tickets, live ticket page, kiosk and display (urls_queue).
    path("queue/", include("cityhall.portal.urls_queue")),
    # Account pages (cityhall.portal.account).
    path("account/", my_account.account, name="account"),
    path("account/password/", my_account.change_password, name="change_password"),
    # What the city holds about the citizen, a copy, closing the account (portal.account.my_data).
    path("account/my-data/", my_data.my_data, name="my_data"),
    # Who at the city looked at the citizen's requests (portal.account.access_log).
    path("account/who-looked/", access_log.access_log, name="access_log"),
    path("account/my-data/copy/", my_data.request_data_export, name="request_data_export"),
    path(
        "account/my-data/copy/<str:token>/",
        my_data.download_data_export,
        name="download_data_export",
    ),
    path("account/close/", my_data.close_account, name="close_account"),
    path("account/close/cancel/", my_data.cancel_account_closure, name="cancel_account_closure"),
    path(
        "account/close/confirm/<str:token>/",
        my_data.confirm_account_closure,
        name="confirm_account_closure",
    ),
    path("account/sign-up/", sign_up.sign_up, name="sign_up"),
    path("account/sign-up/check-your-email/", sign_up.sign_up_done, name="sign_up_done"),
    path("account/verify/<str:token>/", sign_up.verify_email, name="verify_email"),
    path("account/sign-in/", sign_in.sign_in, name="sign_in"),
    path("account/sign-in/link/", sign_in.sign_in_link_request, name="sign_in_link_request"),
    path("account/sign-in/link/sent/", sign_in.sign_in_link_sent, name="sign_in_link_sent"),
    path("account/sign-in/link/<str:token>/", sign_in.sign_in_link, name="sign_in_link"),
    path("account/sign-out/", sign_in.sign_out, name="sign_out"),
    path("account/password-reset/", passwords.password_reset, name="password_reset"),
    path("account/password-reset/sent/", passwords.password_reset_sent, name="password_reset_sent"),
    path(
        "account/password-reset/<uuid:public_id>/<str:token>/",
        passwords.password_reset_confirm,
        name="password_reset_confirm",
    ),
    # The purposes that need the citizen's consent (cityhall.portal.account.privacy_choices).
    path("account/privacy-choices/", privacy_choices, name="privacy_choices"),
    # Notification pages (cityhall.portal.views_notifications).
    path("notifications/", views_notifications.notification_inbox, name="notification_inbox"),
    path(
        "notifications/<uuid:public_id>/read/",
        views_notifications.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/choices/",
        views_notifications.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/push/subscribe/",
        views_notifications.push_subscribe,
        name="push_subscribe",
    ),
    path(
        "notifications/push/unsubscribe/",
        views_notifications.push_unsubscribe,
        name="push_unsubscribe",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views_notifications.notification_unsubscribe,
        name="notification_unsubscribe",
    ),
    # Services and requests (cityhall.portal.views_requests).
    path("services/", services_pages.services, name="services"),
    path("services/<slug:code>/request/", filing.file_request, name="file_request"),
    path("requests/", status.my_requests, name="my_requests"),
    path("request-photos/<uuid:public_id>/", photo_views.request_photo, name="request_photo"),
    # Public map data for the request form (cityhall.portal.views_requests.map_data).
    path("map/districts/", map_data.district_outlines, name="district_outlines"),
    path("map/streets/", map_data.street_map, name="street_map"),
    path("map/nearest-address/", map_data.nearest_address, name="nearest_address"),
    path("map/address-search/", map_data.address_search, name="address_search"),
    # Before the status pages, so that "track" is never read as a tracking number.
    path("requests/track/", tracking.track_request, name="track_request"),
    path("requests/<str:tracking_number>/", status.request_status, name="request_status"),
    path("requests/<str:tracking_number>/follow/", status.follow_request, name="follow_request"),
    path(
        "requests/<str:tracking_number>/unfollow/", status.unfollow_request, name="unfollow_request"
    ),
    path("requests/<str:tracking_number>/reopen/", status.reopen_request, name="reopen_request"),
    path("requests/<str:tracking_number>/rate/", rating.rate_request, name="rate_request"),
    # The partner work queue (cityhall.portal.views_requests.partner_queue).
    path("partner/requests/", partner_queue.partner_queue, name="partner_queue"),
    path(
        "partner/requests/<uuid:public_id>/",
        partner_queue.partner_request,
        name="partner_request",
    ),
    path(
        "partner/requests/<uuid:public_id>/status/",
        partner_queue.partner_change_status,
        name="partner_change_status",
    ),
    path(
        "partner/requests/<uuid:public_id>/update/",
        partner_queue.partner_public_update,
        name="partner_public_update",
    ),
    path("partner/webhooks/", include("cityhall.portal.urls_partner_webhooks")),
    path("partner/alerts/", include("cityhall.portal.urls_partner_alerts")),
]
