from django.urls import path

from ingestion.webhooks.views import github_webhook

app_name = "ingestion"

urlpatterns = [
    path("github", github_webhook, name="github-webhook"),
]
