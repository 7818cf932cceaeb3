"""Failed-check routes; included by triage.api.urls."""

from django.urls import path

from triage.failures import api

urlpatterns = [
    path("check-runs/<int:pk>/analysis", api.CheckRunAnalysisView.as_view(), name="triage-check-run-analysis"),
    path("pull-requests/<int:pk>/ci", api.PullRequestCiView.as_view(), name="triage-pull-request-ci"),
    path("pull-requests/<int:pk>/reviews/<str:reviewer_type>/feedback", api.ReviewFeedbackView.as_view(),
         name="triage-review-feedback"),
]
