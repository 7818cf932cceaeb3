from django.apps import AppConfig


class TriageConfig(AppConfig):
    """Two halves, each wired here: duplicate pull requests (triage.duplicates) and failed
    checks (triage.failures); triage.report joins them per pull request, and triage.verdicts
    publishes that report as GitInsight's check run on GitHub."""

    name = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import (
            check_run_completed,
            commits_ingested,
            issue_changed,
        )
        from triage.duplicates.inbox import duplicate_verdicts_awaiting_feedback
        from triage.duplicates.jobs import run_triage
        from triage.duplicates.receivers import on_commits_ingested, on_issue_changed
        from triage.failures.inbox import failed_checks_caused_by_pull_requests
        from triage.failures.jobs import run_failed_checks
        from triage.failures.receivers import on_check_run_completed
        from triage.report.overview import pull_requests_section
        from workspace.inbox import attention_provider_register
        from workspace.job_types import job_type_register
        from workspace.overview import overview_section_register

        check_run_completed.connect(on_check_run_completed, dispatch_uid="triage.check_run_completed")
        issue_changed.connect(on_issue_changed, dispatch_uid="triage.competing.issue_changed")
        commits_ingested.connect(on_commits_ingested, dispatch_uid="triage.competing.commits_ingested")
        job_type_register("triage", "Find duplicate and competing pull requests", run_triage)
        job_type_register("failed_checks", "Explain failed checks", run_failed_checks)
        _verdicts_connect()
        attention_provider_register(
            "duplicate_verdict", "Duplicate awaiting feedback", duplicate_verdicts_awaiting_feedback
        )
        attention_provider_register("failed_check", "Failed check", failed_checks_caused_by_pull_requests)
        overview_section_register("pull_requests", 30, pull_requests_section)


def _verdicts_connect() -> None:
    """A head opened or moved is one task: its risk, its duplicates and its check run
    (triage.verdicts.services.heads); analyses run for other reasons edit the check run as
    they finish."""
    from django.db.models.signals import post_save

    from analysis.models import PullRequestRiskPrediction
    from ingestion.signals import check_run_action_requested, pull_request_head_changed, pull_request_opened
    from triage.duplicates.models import AnalysisRun
    from triage.failures.models import CheckFailureAnalysis
    from triage.verdicts import receivers

    pull_request_opened.connect(receivers.on_pull_request_head, dispatch_uid="verdicts.pull_request_opened")
    pull_request_head_changed.connect(receivers.on_pull_request_head, dispatch_uid="verdicts.head_changed")
    check_run_action_requested.connect(receivers.on_check_run_action_requested, dispatch_uid="verdicts.action")
    post_save.connect(receivers.on_duplicates_run_saved, sender=AnalysisRun, dispatch_uid="verdicts.duplicates")
    post_save.connect(receivers.on_risk_predicted, sender=PullRequestRiskPrediction, dispatch_uid="verdicts.risk")
    post_save.connect(receivers.on_failure_analysed, sender=CheckFailureAnalysis, dispatch_uid="verdicts.failures")
