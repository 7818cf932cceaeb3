"""Mounted by the project under /api/v1/: path("api/v1/", include("ingestion.api.urls"))."""

from django.urls import path

from ingestion.api import views

urlpatterns = [
    path("repositories", views.RepositoryListConnectView.as_view(), name="api-repositories"),
    path("repositories/<int:pk>", views.RepositoryDetailView.as_view(), name="api-repository"),
    path("repositories/<int:pk>/backfills", views.RepositoryBackfillListView.as_view(), name="api-backfills"),
    path("commits", views.CommitListView.as_view(), name="api-commits"),
    path("commits/<int:pk>", views.CommitDetailView.as_view(), name="api-commit"),
    path("pull-requests", views.PullRequestListView.as_view(), name="api-pull-requests"),
    path("pull-requests/<int:pk>", views.PullRequestDetailView.as_view(), name="api-pull-request"),
    path("issues", views.IssueListView.as_view(), name="api-issues"),
    path("issues/<int:pk>", views.IssueDetailView.as_view(), name="api-issue"),
    path("milestones", views.MilestoneListView.as_view(), name="api-milestones"),
    path("milestones/<int:pk>", views.MilestoneDetailView.as_view(), name="api-milestone"),
    path("check-runs", views.CheckRunListView.as_view(), name="api-check-runs"),
    path("check-runs/<int:pk>", views.CheckRunDetailView.as_view(), name="api-check-run"),
]
