"""API routes for service requests, mounted under /api/v1/."""

from django.urls import path

from cityhall.servicerequests import api, api_partner, api_staff

app_name = "servicerequests_api"
urlpatterns = [
    path("requests", api.MyRequestsApi.as_view(), name="my_requests"),
    path("requests/<uuid:public_id>", api.MyRequestApi.as_view(), name="my_request"),
    path("requests/<uuid:public_id>/reopen", api.ReopenApi.as_view(), name="reopen"),
    path(
        "requests/<str:tracking_number>/comments",
        api.CommentsApi.as_view(),
        name="request_comments",
    ),
    path("follows", api.FollowApi.as_view(), name="follows"),
    path("follows/<str:tracking_number>", api.UnfollowApi.as_view(), name="follow"),
    path("staff/requests", api_staff.StaffQueueApi.as_view(), name="staff_queue"),
    path(
        "staff/requests/<uuid:public_id>", api_staff.StaffRequestApi.as_view(), name="staff_request"
    ),
    path(
        "staff/requests/<uuid:public_id>/status",
        api_staff.StaffStatusApi.as_view(),
        name="staff_status",
    ),
    path(
        "staff/requests/<uuid:public_id>/updates",
        api_staff.StaffPublicUpdateApi.as_view(),
        name="staff_updates",
    ),
    path(
        "staff/requests/<uuid:public_id>/assignee",
        api_staff.StaffAssignmentApi.as_view(),
        name="staff_assignee",
    ),
    path(
        "staff/requests/<uuid:public_id>/partner",
        api_staff.StaffPartnerAssignmentApi.as_view(),
        name="staff_partner",
    ),
    path(
        "staff/requests/<uuid:public_id>/team",
        api_staff.StaffTeamAssignmentApi.as_view(),
        name="staff_team",
    ),
    path("partner/requests", api_partner.PartnerQueueApi.as_view(), name="partner_queue"),
    path(
        "partner/requests/<uuid:public_id>",
        api_partner.PartnerRequestApi.as_view(),
        name="partner_request",
    ),
    path(
        "partner/requests/<uuid:public_id>/status",
        api_partner.PartnerStatusApi.as_view(),
        name="partner_status",
    ),
    path(
        "partner/requests/<uuid:public_id>/updates",
        api_partner.PartnerPublicUpdateApi.as_view(),
        name="partner_updates",
    ),
    path(
        "partner/requests/<uuid:public_id>/notes",
        api_partner.PartnerInternalNoteApi.as_view(),
        name="partner_notes",
    ),
]
