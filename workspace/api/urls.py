"""Mounted by the project under /api/v1/."""

from django.urls import path

from workspace.api import views

urlpatterns = [
    path("repositories/<int:repository_id>/follow", views.FollowView.as_view(), name="api-repository-follow"),
    path("repositories/<int:repository_id>/jobs", views.JobListCreateView.as_view(), name="api-repository-jobs"),
]
