"""API routes of appointments, mounted under /api/v1/appointments/."""

from django.urls import path

from cityhall.appointments import api

app_name = "appointments_api"
urlpatterns = [
    path("services", api.ServicesApi.as_view(), name="services"),
    path("services/<slug:code>/slots", api.SlotsApi.as_view(), name="slots"),
    path("bookings", api.MyBookingsApi.as_view(), name="my_bookings"),
    path("bookings/<uuid:public_id>", api.MyBookingApi.as_view(), name="my_booking"),
]
