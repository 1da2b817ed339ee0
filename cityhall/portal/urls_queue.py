"""The virtual queue's pages, under queue/ (cityhall.portal.views_queue and views_queue_screens)."""

from django.urls import path

from cityhall.portal import views_queue, views_queue_screens

urlpatterns = [
    path("", views_queue.choose_place, name="take_ticket"),
    path("at/<uuid:facility_id>/", views_queue.take_at, name="take_ticket_at"),
    path("t/<str:token>/", views_queue.ticket, name="queue_ticket"),
    path("t/<str:token>/status.json", views_queue.ticket_status, name="queue_ticket_status"),
    path("t/<str:token>/cancel/", views_queue.cancel, name="queue_ticket_cancel"),
    path("kiosk/<uuid:facility_id>/", views_queue_screens.kiosk, name="queue_kiosk"),
    path(
        "kiosk/<uuid:facility_id>/ticket/<str:reference>/",
        views_queue_screens.kiosk_ticket,
        name="queue_kiosk_ticket",
    ),
    path("display/<uuid:facility_id>/", views_queue_screens.display, name="queue_display"),
    path(
        "display/<uuid:facility_id>/board.json",
        views_queue_screens.display_board,
        name="queue_display_board",
    ),
]
