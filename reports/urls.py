from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("statistics.xlsx", views.statistics_export, name="export"),
    path("clues.xlsx", views.clue_outcomes_export, name="clues"),
    path("monthly/", views.monthly_list, name="monthly"),
    path("monthly/generate/", views.monthly_generate, name="monthly-generate"),
    path("monthly/<int:report_id>/", views.monthly_page, name="monthly-page"),
    path("monthly/<int:report_id>.xlsx", views.monthly_download, name="monthly-download"),
]
