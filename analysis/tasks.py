"""django-q2 tasks: take ids, call one service, safe to run twice."""

from __future__ import annotations

import logging

from analysis.services.examples import CloneMissing, features_compute, labels_compute
from analysis.services.models import model_train
from analysis.services.notifications import high_risk_commits_notify
from analysis.services.predictions import commits_predict, pull_request_predict
from analysis.services.stats import repository_stats_refresh
from gitinsight.database.tenant_scope import installation_wide, runs_in_organization_of
from ingestion.models import PullRequest, Repository
from workspace.services.jobs import job_enqueue

logger = logging.getLogger(__name__)


@runs_in_organization_of(Repository)
def commits_predict_task(repository_id: int, commit_ids: list[int]) -> int:
    predicted = commits_predict(repository_id=repository_id, commit_ids=commit_ids)
    high_risk_commits_notify(repository_id=repository_id, commit_ids=commit_ids)
    return predicted


@runs_in_organization_of(PullRequest)
def pull_request_predict_task(pull_request_id: int, head_sha: str) -> None:
    pull_request_predict(pull_request_id=pull_request_id, head_sha=head_sha)


@runs_in_organization_of(Repository)
def repository_retrain_task(repository_id: int) -> dict[str, object]:
    """Refresh features and SZZ labels, then train a new model version (promoted if better)."""
    features_compute(repository_id=repository_id)
    labels = labels_compute(repository_id=repository_id)
    outcome = model_train(repository_id=repository_id)
    return {"labels": labels, "version": outcome.model_version.version, "promoted": outcome.promoted}


@installation_wide("lists every organization's active repositories; each is retrained in its own scope")
def risk_models_retrain() -> dict[str, str]:
    """The weekly retraining of every active repository that has a local clone."""
    results: dict[str, str] = {}
    for repository in Repository.objects.filter(is_active=True).exclude(local_path=""):
        try:
            outcome = repository_retrain_task(repository.pk)
            results[repository.full_name] = f"v{outcome['version']} promoted={outcome['promoted']}"
        except CloneMissing as exc:
            results[repository.full_name] = f"skipped: {exc}"
            logger.info("risk retraining skipped for %s: %s", repository.full_name, exc)
    return results


@installation_wide("lists every organization's active repositories and enqueues one job each")
def insights_refresh_all() -> int:
    """Queue an insights job for every active repository that has commits."""
    repositories = Repository.objects.filter(is_active=True, commits__isnull=False).distinct()
    return sum(1 for repository in repositories if job_enqueue(repository=repository, type="insights"))


@installation_wide("the statistics are one materialized view of every repository")
def repository_stats_refresh_task() -> None:
    repository_stats_refresh()
