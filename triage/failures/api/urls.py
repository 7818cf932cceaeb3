"""Failed-check routes; mounted by triage.api.urls."""

from django.urls import path

from triage.failures.api import views as api

urlpatterns = [
    path("check-runs/<int:pk>/analysis", api.CheckRunAnalysisView.as_view(), name="triage-check-run-analysis"),
    path("check-runs/<int:pk>/root-cause", api.RootCauseConfirmView.as_view(), name="triage-root-cause-confirm"),
    path("root-causes/<int:pk>", api.RootCauseExampleView.as_view(), name="triage-root-cause-example"),
    path("pull-requests/<int:pk>/ci", api.PullRequestCiView.as_view(), name="triage-pull-request-ci"),
    path("pull-requests/<int:pk>/reviews/<str:reviewer_type>/feedback", api.ReviewFeedbackView.as_view(),
         name="triage-review-feedback"),
]
