from django.urls import path

from ingestion.api.webhooks import github_webhook

app_name = "ingestion"

urlpatterns = [
    path("github", github_webhook, name="github-webhook"),
]
