from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analysis.jobs.registry import job_type_register
        from gitinsight.attention import attention_provider_register
        from ingestion.signals import (
            check_run_completed,
            commits_ingested,
            issue_changed,
            pull_request_head_changed,
            pull_request_opened,
        )
        from triage.competing_receivers import on_commits_ingested, on_issue_changed
        from triage.failures.receivers import on_check_run_completed
        from triage.receivers import on_pull_request_head
        from triage.workspace import (
            duplicate_verdicts_awaiting_feedback,
            failed_checks_caused_by_pull_requests,
            run_triage,
        )

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
