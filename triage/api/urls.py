"""Mounted by the project under /api/v1/triage/."""

from django.urls import include, path

from triage.duplicates.api import views
from triage.report.api.views import PullRequestReportView

urlpatterns = [
    path("pull-requests/<int:pk>/candidates", views.PullRequestCandidatesView.as_view(),
         name="triage-pull-request-candidates"),
    path("candidates/<int:pk>/feedback", views.CandidateFeedbackView.as_view(), name="triage-candidate-feedback"),
    path("pull-requests/<int:pk>/report", PullRequestReportView.as_view(), name="triage-pull-request-report"),
    path("", include("triage.failures.api.urls")),
]
