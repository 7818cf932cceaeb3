"""One analysis run for a PR head: diff -> signatures -> index rows -> candidates from
every index -> scores, categories and evidence -> clusters."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ingestion.models import PullRequest
from triage.duplicates.core.retrieval import rank
from triage.duplicates.core.scoring import ALGORITHM_VERSION, NOT_RELATED
from triage.duplicates.core.signature import SIGNATURE_VERSION, PRSignature, pr_signature
from triage.duplicates.models import AnalysisRun, CandidateEdge
from triage.duplicates.selectors import candidate_signatures, signatures_of_heads
from triage.duplicates.services.clusters import clusters_update
from triage.duplicates.services.competing import competing_work_update
from triage.duplicates.services.config import config_active
from triage.duplicates.services.embeddings import nearest_heads, pull_request_embedding_store
from triage.duplicates.services.notifications import same_change_notify
from triage.duplicates.services.patches import PatchUnavailable, pull_request_diff
from triage.duplicates.services.signatures import signatures_store
from workspace.core.embeddings import EmbeddingsUnavailable

logger = logging.getLogger(__name__)
EDGES_KEPT = 10
#: first half of the two-int advisory key of "one candidate search per repository at a time"
_SEARCH_NAMESPACE = 0x6749_5452  # "gITR"


def analysis_run_create(*, pull_request: PullRequest, head_sha: str) -> AnalysisRun:
    config_version, _ = config_active(repository_id=pull_request.repository_id)
    return AnalysisRun.objects.create(
        repository_id=pull_request.repository_id, pull_request=pull_request, head_sha=head_sha,
        signature_version=SIGNATURE_VERSION, algorithm_version=ALGORITHM_VERSION, config_version=config_version,
    )


def head_analyse(*, pull_request: PullRequest, head_sha: str) -> AnalysisRun:
    """Analyse a head once: a second delivery of the same head reuses its finished run. Its
    followers hear of a SAME_CHANGE verdict, and competing work is brought up to date after
    the diff verdicts (which take precedence over competing ones for the same pair)."""
    finished = AnalysisRun.objects.for_head(pull_request, head_sha).finished().newest_first().first()
    if finished is not None:
        return finished
    run = analysis_run_execute(run=analysis_run_create(pull_request=pull_request, head_sha=head_sha))
    same_change_notify(run)
    competing_work_update(pull_request=pull_request)
    return run


def analysis_run_execute(
    *, run: AnalysisRun, signature: PRSignature | None = None, embed: bool | None = None
) -> AnalysisRun:
    """Run (or re-run) `run`. `signature` skips fetching the diff (tests, benchmarks); `embed`
    overrides settings.TRIAGE_EMBEDDINGS (title+body nearest neighbours as one more channel)."""
    pull_request = run.pull_request
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING)
    degraded: list[str] = []
    try:
        if signature is None:
            files, degraded = pull_request_diff(pull_request=pull_request, head_sha=run.head_sha)
            signature = pr_signature(files, title=pull_request.title, body=pull_request.body,
                                     number=pull_request.number, branch=pull_request.head_ref)
        _, config = config_active(repository_id=pull_request.repository_id)
        with transaction.atomic():
            signatures_store(pull_request=pull_request, head_sha=run.head_sha, signature=signature)
            degraded += [error for sig in signature.channels.values() for error in sig.errors][:20]
            embedding = None
            if settings.TRIAGE_EMBEDDINGS if embed is None else embed:
                try:
                    embedding = pull_request_embedding_store(pull_request=pull_request, head_sha=run.head_sha)
                except EmbeddingsUnavailable as error:
                    degraded.append(f"embeddings unavailable: {error}")
            _search_turn_take(run.repository_id)
            neighbours = nearest_heads(embedding=embedding) if embedding is not None else []
            edges = _edges(run, signature, config, neighbours)
            CandidateEdge.objects.filter(analysis_run=run).delete()
            CandidateEdge.objects.bulk_create(edges)
            clusters_update(run=run, edges=edges, signature=signature)
    except PatchUnavailable as error:
        return _finish(run, AnalysisRun.Status.FAILED, error=str(error))
    except Exception as error:
        # never leave a run RUNNING: record the failure, then let the task queue see it too
        _finish(run, AnalysisRun.Status.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    status = AnalysisRun.Status.DEGRADED if degraded else AnalysisRun.Status.DONE
    return _finish(run, status, degraded=degraded)


def _search_turn_take(repository_id: int) -> None:
    """Wait for the other analyses of the repository that are searching for candidates, until
    this transaction ends. Two heads analysed at the same moment would otherwise each search
    before the other's signatures are committed, and neither would find the other; taking
    turns, the second one searches after the first committed, and names it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SEARCH_NAMESPACE, repository_id % 2**31])


def _edges(
    run: AnalysisRun, signature: PRSignature, config: dict, neighbours: list[tuple[int, str, float]]
) -> list[CandidateEdge]:
    found = candidate_signatures(repository_id=run.repository_id, signature=signature,
                                 exclude_pull_request_id=run.pull_request_id)
    candidates = {head: candidate for head, _, candidate in found}
    extra = [(pr, head) for pr, head, _ in neighbours if (pr, head) not in candidates and pr != run.pull_request_id]
    if extra:
        current = dict(PullRequest.objects.filter(pk__in={pr for pr, _ in extra}).values_list("pk", "head_sha"))
        candidates.update(signatures_of_heads([(pr, head) for pr, head in extra if current.get(pr) == head]))
    matches = rank(signature, [(head, candidate, None) for head, candidate in candidates.items()],
                   limit=EDGES_KEPT, config=config, skip={NOT_RELATED})
    return [
        CandidateEdge(
            analysis_run=run, repository_id=run.repository_id, pull_request_a_id=run.pull_request_id,
            head_sha_a=run.head_sha, pull_request_b_id=match.item_id[0], head_sha_b=match.item_id[1], rank=position,
            category=match.score.category, final_score=match.score.final_score, scores_json=match.score.scores,
            evidence_json=match.score.evidence,
        )
        for position, match in enumerate(matches, start=1)
    ]


def _finish(run: AnalysisRun, status: str, *, degraded: list[str] | None = None, error: str = "") -> AnalysisRun:
    now = timezone.now()
    run.status, run.finished_at, run.degraded_reasons, run.error = status, now, degraded or [], error
    run.save(update_fields=["status", "finished_at", "degraded_reasons", "error"])
    PullRequest.objects.filter(pk=run.pull_request_id).update(
        last_analyzed_head_sha=run.head_sha, last_analyzed_at=now, analysis_status=status, analysis_error=error,
    )
    if error:
        logger.warning("triage run %s failed: %s", run.pk, error)
    return run
