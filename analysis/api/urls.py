from django.urls import path

from analysis.api import views

urlpatterns = [
    path("repositories/<int:repository_id>/commits/<str:sha>/risk", views.CommitRiskView.as_view(),
         name="api-commit-risk"),
    path("repositories/<int:repository_id>/pulls/<int:number>/risk", views.PullRequestRiskView.as_view(),
         name="api-pull-request-risk"),
    path("risk/model-versions", views.ModelVersionListView.as_view(), name="api-risk-model-versions"),
    path("repositories/<int:repository_id>/insights", views.InsightListView.as_view(),
         name="api-repository-insights"),
    path("repositories/trending", views.TrendingView.as_view(), name="api-repositories-trending"),
]
