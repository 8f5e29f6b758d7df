"""Web pages: the worker portal at the site root, the staff workbench under /workbench/."""

from django.urls import path

from cases.views import files, intake, portal, workbench

urlpatterns = [
    path("complaint/", portal.complaint, name="portal-complaint"),
    path("complaint/filed/", portal.filed, name="portal-filed"),
    path("status/", portal.lookup, name="portal-lookup"),
    path("code/resend/", portal.code_resend, name="portal-code-resend"),
    path("status/<str:case_number>/", portal.status, name="portal-status"),
    path("workbench/", workbench.queue, name="workbench-queue"),
    path("workbench/ledger.xlsx", files.ledger_export, name="workbench-ledger"),
    path("workbench/import/", files.import_complaints, name="workbench-import"),
    path("workbench/complaints/new/", intake.complaint_new, name="workbench-complaint-new"),
    path("workbench/inspections/new/", intake.inspection_new, name="workbench-inspection-new"),
    path("workbench/import/template.xlsx", files.import_template, name="workbench-import-template"),
    path("workbench/cases/<str:case_number>/", workbench.case_page, name="workbench-case"),
    path(
        "workbench/cases/<str:case_number>/run/<str:name>/",
        workbench.transition_run,
        name="workbench-transition",
    ),
    path(
        "workbench/cases/<str:case_number>/claims/<int:claim_id>/reveal/",
        workbench.claimant_reveal,
        name="workbench-claimant-reveal",
    ),
    path(
        "workbench/cases/<str:case_number>/submissions/<int:submission_id>/",
        workbench.submission_decide,
        name="workbench-submission",
    ),
    path(
        "workbench/cases/<str:case_number>/claims/<int:claim_id>/phone/",
        workbench.phone_change_decide,
        name="workbench-phone-change",
    ),
    path(
        "workbench/cases/<str:case_number>/documents/<str:code>.docx",
        files.document,
        name="workbench-document",
    ),
    path(
        "workbench/evidence/<int:evidence_id>/",
        workbench.evidence_download,
        name="workbench-evidence",
    ),
]
