from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import pull_request_head_changed, pull_request_opened
        from triage.receivers import on_pull_request_head

        pull_request_opened.connect(on_pull_request_head, dispatch_uid="triage.pull_request_opened")
        pull_request_head_changed.connect(on_pull_request_head, dispatch_uid="triage.pull_request_head_changed")
