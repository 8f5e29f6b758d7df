from django.urls import path

from notifications import api_notices, views_notices

urlpatterns = [
    path("s/<str:token>/", views_notices.service_link, name="service-link"),
    path("s/<str:token>/document/", views_notices.service_document, name="service-document"),
    path("s/<str:token>/sign/", views_notices.agreement_sign, name="agreement-sign"),
    path(
        "workbench/cases/<str:case_number>/service/",
        views_notices.service_record_add,
        name="service-record-add",
    ),
    path(
        "workbench/cases/<str:case_number>/contacts/",
        views_notices.case_contact_add,
        name="case-contact-add",
    ),
    path("notifications/sms/receipts/", views_notices.sms_receipts, name="sms-receipts"),
    path(
        "api/v1/cases/<str:case_number>/notices/",
        api_notices.CaseNotices.as_view(),
        name="api-case-notices",
    ),
    path(
        "api/v1/cases/<str:case_number>/contacts/",
        api_notices.CaseContacts.as_view(),
        name="api-case-contacts",
    ),
    path(
        "api/v1/cases/<str:case_number>/service-records/",
        api_notices.ServiceRecords.as_view(),
        name="api-service-records",
    ),
    path("api/v1/service/<str:token>/", api_notices.ServiceLink.as_view(), name="api-service-link"),
]
