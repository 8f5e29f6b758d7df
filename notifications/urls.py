from django.urls import path

from notifications import api, views

urlpatterns = [
    path("api/v1/alerts/", api.AlertList.as_view(), name="alert-list"),
    path("api/v1/alerts/<int:alert_id>/ack/", api.AlertAcknowledge.as_view(), name="alert-ack"),
    path("api/v1/dashboard/summary/", api.DashboardSummary.as_view(), name="dashboard-summary"),
    path("screen/", views.command_screen, name="command-screen"),
    path("alerts/", views.alert_list, name="alert-list-page"),
    path("alerts/<int:alert_id>/ack/", views.alert_acknowledge, name="alert-ack-page"),
]
