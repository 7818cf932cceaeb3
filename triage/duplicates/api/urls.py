"""Duplicate-detection routes; mounted by triage.api.urls."""

from django.urls import path

from triage.duplicates.api import views

urlpatterns = [
    path("pull-requests/<int:pk>/candidates", views.PullRequestCandidatesView.as_view(),
         name="triage-pull-request-candidates"),
    path("candidates/<int:pk>/feedback", views.CandidateFeedbackView.as_view(), name="triage-candidate-feedback"),
]
