"""The ledger's pages, under /employment/."""

from django.urls import path

from employment import views

app_name = "employment"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.entry_new, name="entry-new"),
    path("ledger/<int:entry_id>/", views.entry, name="entry"),
    path("plants/", views.plants, name="plants"),
    path("plants/roster-template.xlsx", views.roster_template, name="roster-template"),
    path("plants/<int:plant_id>/", views.plant, name="plant"),
    path("postings/", views.postings, name="postings"),
    path("progress/", views.progress, name="progress"),
    path("targets/", views.targets, name="targets"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("dispatch.xlsx", views.dispatch_xlsx, name="dispatch-xlsx"),
]
