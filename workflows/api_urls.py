from django.urls import path

from workflows import api

urlpatterns = [
    path("subsidies/policies/", api.PolicyList.as_view(), name="subsidy-policies"),
    path(
        "subsidies/applications/",
        api.ApplicationListCreate.as_view(),
        name="subsidy-applications",
    ),
    path(
        "subsidies/applications/<int:application_id>/",
        api.ApplicationDetail.as_view(),
        name="subsidy-application",
    ),
    path(
        "subsidies/applications/<int:application_id>/correction/",
        api.ApplicationCorrection.as_view(),
        name="subsidy-application-correction",
    ),
    path(
        "subsidies/status/<str:number>/",
        api.ApplicantStatus.as_view(),
        name="subsidy-applicant-status",
    ),
    path("tasks/", api.TaskList.as_view(), name="subsidy-tasks"),
    path("tasks/<int:task_id>/decision/", api.TaskDecision.as_view(), name="subsidy-task-decision"),
]
