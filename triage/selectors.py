"""Reads of the triage app. Candidate retrieval runs on the index tables with B-tree
lookups (`= ANY(...)` on indexed columns), merging every key kind before any scoring."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import QuerySet

from gitinsight.selectors import visible_to
from ingestion.models import PullRequest
from triage.models import AnalysisRun, CandidateEdge, ChannelSignature, Cluster, Feedback
from triage.services.signatures import TEXT_INDEXES, bucket_id, signature_from_rows
from triage.similarity.retrieval import KEY_WEIGHTS, index_keys
from triage.similarity.signature import SIGNATURE_VERSION, PRSignature
from triage.similarity.tuning import LabelledPair

CANDIDATE_LIMIT = 200
#: newest rows read per key kind: a key shared by thousands of heads adds little and costs much
POSTING_CAPS = {"band": 100, "word": 100, "dir": 100, "ref": 200, "test": 200, "path": 300, "symbol": 300}

_TEXT_SQL = """
SELECT k.index_name, k.bucket_id, x.pull_request_id, x.head_sha
FROM unnest(%s::text[], %s::bigint[], %s::int[]) AS k(index_name, bucket_id, cap)
CROSS JOIN LATERAL (
  SELECT pull_request_id, head_sha FROM lsh_bucket_entries
  WHERE repository_id = %s AND index_name = k.index_name AND bucket_id = k.bucket_id
    AND pull_request_id < %s
  ORDER BY id DESC LIMIT k.cap
) x
"""
_PATH_SQL = """
SELECT 'path', k.value, x.pull_request_id, x.head_sha FROM unnest(%s::text[]) AS k(value)
CROSS JOIN LATERAL (SELECT pull_request_id, head_sha FROM pr_changed_paths
  WHERE repository_id = %s AND path = k.value AND pull_request_id < %s ORDER BY id DESC LIMIT %s) x
UNION ALL
SELECT 'dir', k.value, x.pull_request_id, x.head_sha FROM unnest(%s::text[]) AS k(value)
CROSS JOIN LATERAL (SELECT pull_request_id, head_sha FROM pr_changed_paths
  WHERE repository_id = %s AND dir_prefix_2 = k.value AND pull_request_id < %s ORDER BY id DESC LIMIT %s) x
UNION ALL
SELECT 'symbol', k.value, x.pull_request_id, x.head_sha FROM unnest(%s::text[]) AS k(value)
CROSS JOIN LATERAL (SELECT pull_request_id, head_sha FROM pr_symbols
  WHERE repository_id = %s AND kind = 'decl' AND symbol = k.value AND pull_request_id < %s
  ORDER BY id DESC LIMIT %s) x
UNION ALL
SELECT 'symbol', k.value, x.pull_request_id, x.head_sha FROM unnest(%s::text[]) AS k(value)
CROSS JOIN LATERAL (SELECT pull_request_id, head_sha FROM pr_symbols
  WHERE repository_id = %s AND kind = 'import' AND symbol = k.value AND pull_request_id < %s
  ORDER BY id DESC LIMIT %s) x
"""


def candidate_heads(
    *, repository_id: int, signature: PRSignature, exclude_pull_request_id: int | None = None,
    limit: int = CANDIDATE_LIMIT, before_pull_request_id: int | None = None,
) -> list[tuple[int, str, float]]:
    """(pull request id, head sha, merged weight) of the best-supported candidate heads;
    `before_pull_request_id` keeps only older rows (history replays)."""
    before = before_pull_request_id if before_pull_request_id is not None else 2**62
    keys = index_keys(signature)
    text_keys = [(kind, bucket_id(kind, value)) for kind, value in keys if kind in TEXT_INDEXES]
    paths = [value for kind, value in keys if kind == "path"]
    dirs = [value for kind, value in keys if kind == "dir"]
    symbols = [value for kind, value in keys if kind == "symbol"]
    hits: dict[tuple[str, Any], list[tuple[int, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        if text_keys:
            cursor.execute(_TEXT_SQL, [[k for k, _ in text_keys], [b for _, b in text_keys],
                                       [POSTING_CAPS[k] for k, _ in text_keys], repository_id, before])
            for kind, value, pr_id, head in cursor.fetchall():
                hits[(kind, value)].append((pr_id, head))
        cursor.execute(_PATH_SQL, [paths, repository_id, before, POSTING_CAPS["path"], dirs, repository_id, before,
                                   POSTING_CAPS["dir"], symbols, repository_id, before, POSTING_CAPS["symbol"],
                                   symbols, repository_id, before, POSTING_CAPS["symbol"]])
        for kind, value, pr_id, head in cursor.fetchall():
            if (pr_id, head) not in hits[(kind, value)]:
                hits[(kind, value)].append((pr_id, head))
    weights: dict[tuple[int, str], float] = defaultdict(float)
    for (kind, _value), heads in hits.items():
        # the real document frequency is unknown past the cap; a full posting counts as common
        weight = KEY_WEIGHTS[kind] * math.log(POSTING_CAPS[kind] * 4 / len(heads) + 1.0)
        for head in heads:
            if head[0] != exclude_pull_request_id:
                weights[head] += weight
    best = sorted(weights.items(), key=lambda item: -item[1])[:limit]
    return [(pr_id, head, weight) for (pr_id, head), weight in best]


_SIGNATURE_FIELDS = (
    "pull_request_id", "head_sha", "channel", "canonical_diff_hash", "simhash64", "minhash", "minhash_shingle_count",
    "winnow_fingerprints", "paths_json", "exports_json", "symbols_json", "imports_json", "test_intent_json",
    "doc_structure_json", "size_metrics_json", "errors_json", "pull_request__title", "pull_request__body",
)


def signatures_of_heads(heads: list[tuple[int, str]]) -> dict[tuple[int, str], PRSignature]:
    """Stored signatures of the given heads (current signature version), keyed by head; one query."""
    if not heads:
        return {}
    wanted = set(heads)
    rows: dict[tuple[int, str], list[ChannelSignature]] = defaultdict(list)
    texts: dict[tuple[int, str], tuple[str, str]] = {}
    query = ChannelSignature.objects.filter(
        pull_request_id__in={pr_id for pr_id, _ in heads}, head_sha__in={head for _, head in heads},
        signature_version=SIGNATURE_VERSION,
    ).values_list(*_SIGNATURE_FIELDS)
    for values in query:
        head = (values[0], values[1])
        if head in wanted:
            fields = dict(zip(_SIGNATURE_FIELDS[:-2], values[:-2], strict=True))
            rows[head].append(ChannelSignature(**fields))
            texts[head] = (values[-2], values[-1])
    return {head: signature_from_rows(found, title=texts[head][0], body=texts[head][1]) for head, found in rows.items()}


def pull_request_candidates(*, pull_request: PullRequest) -> QuerySet[CandidateEdge]:
    """Edges of the latest finished run of the PR's current head, best first."""
    run = (
        AnalysisRun.objects.filter(pull_request=pull_request, head_sha=pull_request.head_sha,
                                   status__in=[AnalysisRun.Status.DONE, AnalysisRun.Status.DEGRADED])
        .order_by("-started_at").first()
    )
    if run is None:
        return CandidateEdge.objects.none()
    return run.edges.select_related("pull_request_b").order_by("rank")


def pull_requests_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[PullRequest]:
    return visible_to(PullRequest.objects.all(), user, organization_path="repository__organization")


def clusters_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Cluster]:
    return visible_to(Cluster.objects.all(), user, organization_path="repository__organization")


def labelled_pairs(*, repository_id: int) -> list[LabelledPair]:
    """Maintainer feedback joined with the scores of the edge it judged (for tuning)."""
    rows = Feedback.objects.filter(repository_id=repository_id, edge__isnull=False).values_list(
        "edge__scores_json", "edge__final_score", "decision")
    return [LabelledPair(scores=scores, final_score=score, duplicate=decision == "DUPLICATE")
            for scores, score, decision in rows]
