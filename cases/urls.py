from django.urls import path

from cases import api

urlpatterns = [
    path("townships/", api.TownshipList.as_view(), name="township-list"),
    path("complaints/", api.ComplaintCreate.as_view(), name="complaint-create"),
    path("complaints/<str:case_number>/", api.ComplaintStatus.as_view(), name="complaint-status"),
    path(
        "complaints/<str:case_number>/evidence/",
        api.ComplaintEvidenceUpload.as_view(),
        name="complaint-evidence",
    ),
    path("cases/", api.CaseList.as_view(), name="case-list"),
    path("cases/<str:case_number>/", api.CaseDetail.as_view(), name="case-detail"),
    path(
        "cases/<str:case_number>/transitions/",
        api.CaseTransitions.as_view(),
        name="case-transitions",
    ),
    path(
        "cases/<str:case_number>/transitions/<str:name>/",
        api.CaseTransitionRun.as_view(),
        name="case-transition-run",
    ),
    path(
        "cases/<str:case_number>/evidence/", api.CaseEvidenceUpload.as_view(), name="case-evidence"
    ),
    path(
        "cases/<str:case_number>/claims/<int:claim_id>/reveal/",
        api.ClaimantReveal.as_view(),
        name="claimant-reveal",
    ),
    path("employers/", api.EmployerList.as_view(), name="employer-list"),
]
