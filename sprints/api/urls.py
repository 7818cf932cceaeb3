"""Included by the project under /api/v1/: path("api/v1/", include("sprints.api.urls"))."""

from django.urls import path

from sprints.api import views

urlpatterns = [
    path(
        "milestones/<int:milestone_id>/forecast",
        views.MilestoneForecastView.as_view(),
        name="api-milestone-forecast",
    ),
    path("search", views.SearchView.as_view(), name="api-search"),
    path(
        "recommendations/<int:pk>/accept",
        views.RecommendationAcceptView.as_view(),
        name="api-recommendation-accept",
    ),
]
