"""Reads of the check-run part: the policy that holds for a repository, the facts a head's
check run says (from the pull request report, triage.report.selectors), and the state of a
pull request's check run for the pages that show it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from analysis.selectors.risk import model_version_active
from ingestion.models import CheckRun, PullRequest, PullRequestCommit, PullRequestFile, Repository
from triage.duplicates.models import AnalysisRun, ChangedPath
from triage.duplicates.services.config import config_active
from triage.failures.selectors.facts import FAILED_CONCLUSIONS
from triage.report.selectors import pull_request_report
from triage.verdicts.core.facts import (
    CandidateFacts,
    EvidenceFacts,
    FailedCheckFacts,
    Gates,
    RiskFacts,
    RootCauseLine,
    VerdictFacts,
)
from triage.verdicts.models import CheckRunPolicy, PullRequestCheckRun

#: a part still pending this long after the head was first seen (or a rerun asked) is given up:
#: the check run completes with what is known instead of staying in progress for ever
PENDING_FOR_AT_MOST = timedelta(minutes=15)
_FINISHED = (AnalysisRun.Status.DONE, AnalysisRun.Status.DEGRADED, AnalysisRun.Status.FAILED)


def check_run_policy_for(repository: Repository) -> CheckRunPolicy | None:
    """The repository's own policy, else its organization's; None when neither exists."""
    policies = CheckRunPolicy.objects.filter(
        Q(repository=repository) | Q(repository__isnull=True), organization_id=repository.organization_id)
    # The repository's own row first (NULLs sort last in ascending order on PostgreSQL).
    return policies.order_by("repository_id").first()


def check_runs_enabled(repository: Repository) -> bool:
    policy = check_run_policy_for(repository)
    return bool(policy and policy.enabled and repository.is_active)


def verdict_gates(*, repository: Repository, policy: CheckRunPolicy | None) -> Gates:
    """The policy's gates, with the thresholds already in config: the repository's duplicate
    threshold for acting on GitHub, and the confidence a FLAKY or infrastructure verdict
    needs before GitInsight acts on it."""
    _, config = config_active(repository_id=repository.pk)
    return Gates(
        fail_at_risk=policy.fail_at_risk if policy else "",
        fail_on_merged_duplicate=bool(policy and policy.fail_on_merged_duplicate),
        same_change_min_score=float(config.get("act", {}).get("min_score", 0.85)),
        public_confidence=settings.TRIAGE_RERUN_MIN_CONFIDENCE,
    )


def verdict_facts(*, check_run: PullRequestCheckRun, now: datetime | None = None) -> VerdictFacts:
    """What `check_run`'s head has to say now. Parts pending for longer than
    PENDING_FOR_AT_MOST are reported as unavailable."""
    pull_request = check_run.pull_request
    head_sha = check_run.head_sha
    since = check_run.rerun_requested_at
    stale = ((now or timezone.now()) - (since or check_run.created_at)) > PENDING_FOR_AT_MOST
    report = pull_request_report(pull_request=pull_request, head_sha=head_sha)
    risk, risk_pending, risk_unavailable = _risk(pull_request, report.risk, stale=stale)
    duplicates_pending, duplicates_unavailable = _duplicates_state(pull_request, head_sha, since=since, stale=stale)
    return VerdictFacts(
        number=pull_request.number,
        head_sha=head_sha,
        author=pull_request.author_login,
        risk=risk, risk_pending=risk_pending, risk_unavailable=risk_unavailable,
        candidates=() if duplicates_pending or duplicates_unavailable else tuple(
            _candidate(item) for item in report.duplicates),
        duplicates_pending=duplicates_pending,
        duplicates_unavailable=duplicates_unavailable,
        checks=_failed_checks(pull_request, head_sha, report.checks, since=since, stale=stale),
        changed_paths=_changed_paths(pull_request, head_sha),
        report_url=settings.SITE_URL.rstrip("/") + reverse("admin:triage_pull_request_report", args=[pull_request.pk]),
        rerun_requested_by=check_run.rerun_requested_by,
    )


def _risk(pull_request: PullRequest, risk: dict | None, *, stale: bool) -> tuple[RiskFacts | None, bool, str]:
    """(the risk, still pending, why there is none). A prediction is made for a head whose
    commits are ingested, by the repository's active model; without either nothing will come."""
    if risk is not None:
        factors = risk.get("top_features") or []
        reasons = tuple(factor["reason"] for factor in factors
                        if isinstance(factor, dict) and factor.get("reason") and factor.get("raises", True))
        return RiskFacts(probability=risk["probability"], level=risk["risk_level"], reasons=reasons,
                         standing=risk.get("standing", ""), commit_count=risk.get("commit_count", 0)), False, ""
    if model_version_active(repository_id=pull_request.repository_id) is None:
        return None, False, "this repository has no commit-risk model yet"
    if not PullRequestCommit.objects.filter(pull_request=pull_request, commit__isnull=False).exists():
        return None, False, "the commits of this pull request are not ingested yet"
    if stale:
        return None, False, "the prediction did not finish in time"
    return None, True, ""


def _duplicates_state(pull_request: PullRequest, head_sha: str, *, since: datetime | None,
                      stale: bool) -> tuple[bool, str]:
    """(still pending, why there is no answer)."""
    run = (AnalysisRun.objects.filter(pull_request=pull_request, head_sha=head_sha)
           .order_by("-started_at").only("status", "started_at").first())
    fresh = run is not None and (since is None or run.started_at >= since)
    if not fresh or run.status not in _FINISHED:
        return (False, "the analysis did not finish in time") if stale else (True, "")
    if run.status == AnalysisRun.Status.FAILED:
        return False, "the analysis could not read this head's changes (details in GitInsight)"
    return False, ""


def _candidate(item: dict) -> CandidateFacts:
    return CandidateFacts(
        number=item["number"], title=item["title"], url=item.get("url", ""), category=item["category"],
        score=item["score"], merged=bool(item.get("merged")), state=item.get("state", ""),
        shared={key: tuple(str(value) for value in values) for key, values in item.get("evidence", {}).items()
                if isinstance(values, list | tuple)},
    )


def _failed_checks(pull_request: PullRequest, head_sha: str, analysed: list[dict], *, since: datetime | None,
                   stale: bool) -> tuple[FailedCheckFacts, ...]:
    """The head's failed checks (the latest run of each check name, when it failed), each with
    its analysis or pending. Only those GitHub reported for this pull request: another pull
    request with the same head has them in its own check run (the analysis is of theirs)."""
    latest: dict[str, CheckRun] = {}
    for run in (CheckRun.objects.not_gitinsight()
                .filter(pull_request=pull_request, head_sha=head_sha, status="completed")
                .order_by("completed_at", "pk")):
        latest[run.name] = run
    by_run = {item["check_run"]: item for item in analysed}
    checks = []
    for run in latest.values():
        if run.conclusion not in FAILED_CONCLUSIONS:
            continue
        url = run.html_url or run.details_url
        item = by_run.get(run.pk)
        fresh = item is not None and (since is None or (item["analysed_at"] and item["analysed_at"] >= since))
        if not fresh or item["status"] == "pending":
            status, error = ("failed", "its analysis did not finish in time") if stale else ("pending", "")
            checks.append(FailedCheckFacts(name=run.name, url=url, conclusion=run.conclusion, status=status,
                                           error=error))
            continue
        checks.append(FailedCheckFacts(
            name=run.name, url=url, conclusion=run.conclusion, status=item["status"],
            category=item["category"], attribution=item["attribution"], confidence=item["attribution_confidence"],
            evidence=tuple(EvidenceFacts(kind=e.get("kind", ""), detail=e.get("detail", ""), url=e.get("url", ""))
                           for e in item.get("evidence") or [] if isinstance(e, dict)),
            root_cause=tuple(RootCauseLine(number=line["line"], text=line["text"]) for line in item["root_cause"]),
            suggested_fix=item.get("suggested_fix", ""),
            error="its log could not be read" if item["status"] == "failed" else "", analysis=item["analysis"],
        ))
    return tuple(sorted(checks, key=lambda check: check.name))


def _changed_paths(pull_request: PullRequest, head_sha: str) -> frozenset[str]:
    files = PullRequestFile.objects.filter(pull_request=pull_request, head_sha=head_sha).values_list("path", flat=True)
    indexed = ChangedPath.objects.filter(pull_request=pull_request, head_sha=head_sha).values_list("path", flat=True)
    return frozenset(files) | frozenset(indexed)


# --- for pages --------------------------------------------------------------------------

def pull_request_check_run(pull_request: PullRequest) -> PullRequestCheckRun | None:
    """The GitInsight check run of the pull request's current head, if there is one."""
    return PullRequestCheckRun.objects.filter(pull_request=pull_request, head_sha=pull_request.head_sha).first()


def check_run_state(check_run: PullRequestCheckRun | None) -> str:
    """Where the check run stands, in a sentence (for the pull request page)."""
    if check_run is None:
        return "No GitInsight check run on this head."
    if check_run.superseded_by:
        return f"Superseded by the newer head {check_run.superseded_by[:7]}."
    if not check_run.github_id:
        waiting = f" GitHub refused or missed it: {check_run.last_error}" if check_run.last_error else ""
        return f"Not on GitHub yet.{waiting}"
    shown = "shown on GitHub" if check_run.is_posted else "GitHub still shows an earlier version"
    if check_run.status == PullRequestCheckRun.Status.COMPLETED:
        return f"Completed ({check_run.conclusion}), {shown}: {check_run.title}"
    return f"In progress, {shown}: {check_run.title}"


def check_runs_due(*, now: datetime | None = None) -> QuerySet[PullRequestCheckRun]:
    """Check runs to post again: a request failed and its retry time came, or a part has been
    pending for too long and the check run should complete with what is known."""
    now = now or timezone.now()
    overdue = Q(status=PullRequestCheckRun.Status.IN_PROGRESS, updated_at__lt=now - PENDING_FOR_AT_MOST)
    return PullRequestCheckRun.objects.filter(Q(retry_at__lte=now) | overdue, superseded_by="")
