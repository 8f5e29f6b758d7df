from django.urls import path

from enforcement import api

urlpatterns = [
    path("blacklist/", api.BlacklistList.as_view(), name="api-blacklist"),
    path("blacklist/<int:entry_id>/", api.BlacklistDetail.as_view(), name="api-blacklist-detail"),
    path(
        "blacklist/<int:entry_id>/decide/",
        api.BlacklistDecide.as_view(),
        name="api-blacklist-decide",
    ),
    path(
        "blacklist/<int:entry_id>/notify/",
        api.BlacklistNotify.as_view(),
        name="api-blacklist-notify",
    ),
    path(
        "blacklist/<int:entry_id>/removal/",
        api.BlacklistRemovalApply.as_view(),
        name="api-blacklist-removal",
    ),
    path(
        "blacklist/<int:entry_id>/removal/decide/",
        api.BlacklistRemovalDecide.as_view(),
        name="api-blacklist-removal-decide",
    ),
    path("publications/", api.PublicationList.as_view(), name="api-publications"),
    path(
        "publications/<int:publication_id>/",
        api.PublicationDetail.as_view(),
        name="api-publication-detail",
    ),
    path(
        "publications/<int:publication_id>/approve/",
        api.PublicationApprove.as_view(),
        name="api-publication-approve",
    ),
]
