from django.urls import path

from workflows import portal, views

app_name = "subsidies"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.application_new, name="new"),
    path("applications/", views.application_list, name="list"),
    path("applications.xlsx", views.application_export, name="export"),
    path("applications/<int:application_id>/", views.application_detail, name="detail"),
    path("tasks/<int:task_id>/", views.task_page, name="task"),
    path("policies/", views.policy_table, name="policies"),
    # Public: the applicant follows an application with its number and query code.
    path("status/", portal.lookup, name="status-lookup"),
    path("status/<str:number>/", portal.status, name="status"),
]
