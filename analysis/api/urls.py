from django.urls import path

from analysis.api import views
from workspace.api import views as workspace

urlpatterns = [
    path("repositories/<int:repository_id>/commits/<str:sha>/risk", views.CommitRiskView.as_view(),
         name="api-commit-risk"),
    path("repositories/<int:repository_id>/pulls/<int:number>/risk", views.PullRequestRiskView.as_view(),
         name="api-pull-request-risk"),
    path("risk/model-versions", views.ModelVersionListView.as_view(), name="api-risk-model-versions"),
    path("repositories/<int:repository_id>/follow", workspace.FollowView.as_view(), name="api-repository-follow"),
    path("repositories/<int:repository_id>/insights", workspace.InsightListView.as_view(),
         name="api-repository-insights"),
    path("repositories/trending", workspace.TrendingView.as_view(), name="api-repositories-trending"),
    path("repositories/<int:repository_id>/jobs", workspace.JobListCreateView.as_view(), name="api-repository-jobs"),
]
