from django.urls import path

from workflows import views_public_notice

urlpatterns = [
    path("gongshi/", views_public_notice.notice_page, name="public-notice"),
    path(
        "gongshi/<str:number>/objection/",
        views_public_notice.objection_lodge,
        name="public-notice-objection",
    ),
    path("subsidies/objections/", views_public_notice.objections_page, name="notice-objections"),
]
