"""API routes of appointments, mounted under /api/v1/appointments/."""

from django.urls import path

from cityhall.appointments import api, api_tickets, api_waiting_list

app_name = "appointments_api"
urlpatterns = [
    path("services", api.ServicesApi.as_view(), name="services"),
    path("services/<slug:code>/slots", api.SlotsApi.as_view(), name="slots"),
    path("bookings", api.MyBookingsApi.as_view(), name="my_bookings"),
    path("bookings/<uuid:public_id>", api.MyBookingApi.as_view(), name="my_booking"),
    path("tickets", api_tickets.TicketsApi.as_view(), name="tickets"),
    path("tickets/<slug:token>", api_tickets.TicketApi.as_view(), name="ticket"),
    path(
        "waiting-list",
        api_waiting_list.MyWaitingListApi.as_view(),
        name="my_waiting_entries",
    ),
    path(
        "waiting-list/<uuid:public_id>",
        api_waiting_list.MyWaitingEntryApi.as_view(),
        name="my_waiting_entry",
    ),
    path(
        "waiting-list/<uuid:public_id>/accept",
        api_waiting_list.AcceptOfferApi.as_view(),
        name="accept_waiting_offer",
    ),
    path(
        "waiting-list/<uuid:public_id>/decline",
        api_waiting_list.DeclineOfferApi.as_view(),
        name="decline_waiting_offer",
    ),
]
