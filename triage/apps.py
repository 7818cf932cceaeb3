from django.apps import AppConfig


class TriageConfig(AppConfig):
    """Two halves, each wired here: duplicate pull requests (triage.duplicates) and failed
    checks (triage.failures); triage.report joins them per pull request."""

    name = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import (
            check_run_completed,
            commits_ingested,
            issue_changed,
            pull_request_head_changed,
            pull_request_opened,
        )
        from triage.duplicates.inbox import duplicate_verdicts_awaiting_feedback
        from triage.duplicates.jobs import run_triage
        from triage.duplicates.receivers import on_commits_ingested, on_issue_changed, on_pull_request_head
        from triage.failures.inbox import failed_checks_caused_by_pull_requests
        from triage.failures.receivers import on_check_run_completed
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register

        pull_request_opened.connect(on_pull_request_head, dispatch_uid="triage.pull_request_opened")
        pull_request_head_changed.connect(on_pull_request_head, dispatch_uid="triage.pull_request_head_changed")
        check_run_completed.connect(on_check_run_completed, dispatch_uid="triage.check_run_completed")
        issue_changed.connect(on_issue_changed, dispatch_uid="triage.competing.issue_changed")
        commits_ingested.connect(on_commits_ingested, dispatch_uid="triage.competing.commits_ingested")
        job_type_register("triage", "Find duplicate and competing pull requests", run_triage)
        attention_provider_register(
            "duplicate_verdict", "Duplicate awaiting feedback", duplicate_verdicts_awaiting_feedback
        )
        attention_provider_register("failed_check", "Failed check", failed_checks_caused_by_pull_requests)
