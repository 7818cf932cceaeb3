"""One analysis run for a PR head: diff -> signatures -> index rows -> candidates from
every index -> scores, categories and evidence -> clusters."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingestion.models import PullRequest
from triage.duplicates.core.retrieval import rank
from triage.duplicates.core.scoring import ALGORITHM_VERSION, NOT_RELATED
from triage.duplicates.core.signature import SIGNATURE_VERSION, PRSignature, pr_signature
from triage.duplicates.models import AnalysisRun, CandidateEdge
from triage.duplicates.selectors import candidate_signatures, signatures_of_heads
from triage.duplicates.services.clusters import clusters_update
from triage.duplicates.services.config import config_active
from triage.duplicates.services.embeddings import nearest_heads, pull_request_embedding_store
from triage.duplicates.services.patches import PatchUnavailable, pull_request_diff
from triage.duplicates.services.signatures import signatures_store
from workspace.core.embeddings import EmbeddingsUnavailable

logger = logging.getLogger(__name__)
EDGES_KEPT = 10


def analysis_run_create(*, pull_request: PullRequest, head_sha: str) -> AnalysisRun:
    config_version, _ = config_active(repository_id=pull_request.repository_id)
    return AnalysisRun.objects.create(
        repository_id=pull_request.repository_id, pull_request=pull_request, head_sha=head_sha,
        signature_version=SIGNATURE_VERSION, algorithm_version=ALGORITHM_VERSION, config_version=config_version,
    )


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
            neighbours: list[tuple[int, str, float]] = []
            if settings.TRIAGE_EMBEDDINGS if embed is None else embed:
                try:
                    embedding = pull_request_embedding_store(pull_request=pull_request, head_sha=run.head_sha)
                    neighbours = nearest_heads(embedding=embedding)
                except EmbeddingsUnavailable as error:
                    degraded.append(f"embeddings unavailable: {error}")
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
