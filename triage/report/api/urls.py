"""The pull request report route; mounted by triage.api.urls."""

from django.urls import path

from triage.report.api.views import PullRequestReportView

urlpatterns = [
    path("pull-requests/<int:pk>/report", PullRequestReportView.as_view(), name="triage-pull-request-report"),
]
