"""Everything a new head of a pull request needs, in one task instead of a chain of five (start
the check run, predict the risk, find duplicates, edit the check run after each): the old head's
check run completed as superseded, the new head's started in progress as soon as a worker takes
the head, its risk and duplicate analyses, then one edit with all of them. The check runs of the
pull requests this head turned out to repeat are edited too, so both sides of a pair name each
other. Edits that an analysis would otherwise queue on its own (receivers.py) are held back while
this runs: the final edit carries them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import F

from analysis.services.predictions import pull_request_predict
from ingestion.models import PullRequest
from triage.duplicates.models import AnalysisRun, CandidateEdge
from triage.duplicates.models.choices import TriageCategory
from triage.duplicates.services.runs import head_analyse
from triage.verdicts.models import PullRequestCheckRun
from triage.verdicts.services.publishing import check_run_publish, check_run_supersede

logger = logging.getLogger(__name__)

#: the verdicts a check run shows (related and uncertain pairs stay in GitInsight's report)
SHOWN_ON_GITHUB = (TriageCategory.SAME_CHANGE, TriageCategory.SAME_FEATURE, TriageCategory.COMPETING_IMPLEMENTATION)

_edits_held: ContextVar[bool] = ContextVar("check_run_edits_held", default=False)


def check_run_edits_held() -> bool:
    """Whether the running code edits the check run itself when it is done (receivers need not)."""
    return _edits_held.get()


@contextmanager
def _holding_edits() -> Iterator[None]:
    token = _edits_held.set(True)
    try:
        yield
    finally:
        _edits_held.reset(token)


def pull_request_head_process(*, pull_request_id: int, head_sha: str,
                              previous_head_sha: str | None = None) -> PullRequestCheckRun | None:
    """Analyse a new head of a pull request and publish its check run: started, then edited
    once with the risk and the duplicates. Each analysis runs even when the other one fails
    (the check run says what could not be done); the first failure is raised at the end, after
    the check run was edited, so the task queue records it. Safe to run twice: a finished
    analysis of the head is reused and an unchanged verdict is not posted again."""
    if previous_head_sha and previous_head_sha != head_sha:
        check_run_supersede(pull_request_id=pull_request_id, head_sha=previous_head_sha, new_head_sha=head_sha)
    if not head_sha:
        return None
    check_run_publish(pull_request_id=pull_request_id, head_sha=head_sha)
    failures: list[Exception] = []
    run: AnalysisRun | None = None
    with _holding_edits():
        try:
            pull_request_predict(pull_request_id=pull_request_id, head_sha=head_sha)
        except Exception as error:
            logger.exception("risk of pull request %s at %s", pull_request_id, head_sha[:10])
            failures.append(error)
        try:
            pull_request = PullRequest.objects.select_related("repository").get(pk=pull_request_id)
            run = head_analyse(pull_request=pull_request, head_sha=head_sha)
        except Exception as error:
            logger.exception("duplicates of pull request %s at %s", pull_request_id, head_sha[:10])
            failures.append(error)
    row = check_run_publish(pull_request_id=pull_request_id, head_sha=head_sha)
    if run is not None and row is not None:
        partners_check_runs_publish(run)
    if failures:
        raise failures[0]
    return row


def partners_check_runs_publish(run: AnalysisRun) -> int:
    """Edit the check runs of the pull requests `run` pairs this head with in words a check run
    shows, so the earlier pull request of a pair names the later one as well. Only the check
    run of the head the analysis compared, if it is still the pull request's head and its
    check run has started: one not started yet reads the pair when its own head is processed.
    Editing a check run never analyses anything, so partners do not set each other off in a
    loop, and an unchanged verdict is not posted again. How many were looked at."""
    partners = (CandidateEdge.objects.filter(analysis_run=run, category__in=SHOWN_ON_GITHUB)
                .values_list("pull_request_b_id", "head_sha_b").distinct())
    started = (PullRequestCheckRun.objects.filter(superseded_by="", pull_request__head_sha=F("head_sha"))
               .filter(pull_request_id__in={pr for pr, _ in partners})
               .values_list("pull_request_id", "head_sha"))
    wanted = set(partners) & set(started)
    for pull_request_id, head_sha in sorted(wanted):
        check_run_publish(pull_request_id=pull_request_id, head_sha=head_sha)
    return len(wanted)
