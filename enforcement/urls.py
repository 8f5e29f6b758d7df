from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("blacklist/", views.blacklist_list, name="blacklist"),
    path("blacklist/<int:entry_id>/", views.blacklist_detail, name="blacklist-detail"),
    path("blacklist/<int:entry_id>/decide/", views.blacklist_decide, name="blacklist-decide"),
    path("blacklist/<int:entry_id>/notify/", views.blacklist_notify, name="blacklist-notify"),
    path(
        "blacklist/<int:entry_id>/removal/",
        views.blacklist_removal_apply,
        name="blacklist-removal-apply",
    ),
    path(
        "blacklist/<int:entry_id>/removal/decide/",
        views.blacklist_removal_decide,
        name="blacklist-removal-decide",
    ),
    path(
        "blacklist/propose/<str:case_number>/",
        views.blacklist_propose,
        name="blacklist-propose",
    ),
    path("publications/", views.publication_list, name="publications"),
    path(
        "publications/<int:publication_id>/",
        views.publication_detail,
        name="publication-detail",
    ),
    path(
        "publications/<int:publication_id>/approve/",
        views.publication_approve,
        name="publication-approve",
    ),
    path(
        "publications/<int:publication_id>/print/",
        views.publication_print,
        name="publication-print",
    ),
    path(
        "publications/<int:publication_id>/export.xlsx",
        views.publication_export,
        name="publication-export",
    ),
]
