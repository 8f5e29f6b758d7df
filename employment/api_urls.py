"""/api/v1/employment/ (config/urls.py mounts it)."""

from django.urls import path

from employment import api

urlpatterns = [
    path("villages/", api.VillageList.as_view()),
    path("ledger/", api.LedgerListCreate.as_view()),
    path("ledger/<int:entry_id>/", api.LedgerDetail.as_view()),
    path("ledger/<int:entry_id>/status/", api.LedgerStatus.as_view()),
    path("services/due/", api.ServicesDue.as_view()),
    path("services/<int:item_id>/complete/", api.ServiceComplete.as_view()),
    path("referrals/", api.ReferralCreate.as_view()),
    path("referrals/<int:referral_id>/outcome/", api.ReferralOutcome.as_view()),
    path("plants/", api.PlantListCreate.as_view()),
    path("plants/<int:plant_id>/", api.PlantDetail.as_view()),
    path("plants/<int:plant_id>/roster/", api.PlantRoster.as_view()),
    path("postings/", api.PostingListCreate.as_view()),
    path("progress/", api.Progress.as_view()),
    path("targets/<int:year>/", api.TargetDetail.as_view()),
    path("dispatch/", api.Dispatch.as_view()),
]
