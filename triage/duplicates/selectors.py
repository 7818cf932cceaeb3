"""Reads of the triage app. Candidate retrieval runs on the index tables with capped,
index-only B-tree lookups per key, merging and ranking every key kind in one statement
before any signature is read or scored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from ingestion.models import PullRequest
from triage.duplicates.core.retrieval import KEY_WEIGHTS, index_keys
from triage.duplicates.core.signature import SIGNATURE_VERSION, PRSignature
from triage.duplicates.core.signature_cache import SignatureCache
from triage.duplicates.core.tuning import LabelledPair
from triage.duplicates.models import AnalysisRun, CandidateEdge, Feedback
from triage.duplicates.services.signatures import TEXT_INDEXES, bucket_id, signature_from_values

CANDIDATE_LIMIT = 200
#: heads whose stored signatures are fetched and scored exactly (as many as the in-memory index scores)
SHORTLIST = 50
#: newest rows read per key kind: a key shared by thousands of heads adds little and costs much
POSTING_CAPS = {"band": 100, "word": 100, "dir": 100, "ref": 200, "test": 200, "path": 300, "symbol": 300}

# One statement from keys to ranked heads. Every key reads at most its cap of the newest rows
# (index-only, newest pull request first, so `before` is an index bound, not a filter); a key's
# weight falls with how many heads it returned, so keys every head shares (`src/_pytest`, "fix",
# `import os`) count little and only rare keys lift a head. The merge, the weighting and the
# cut to the best heads all run in Postgres: only the winners come back.
_HITS_SQL = """
WITH hits AS (
  SELECT k.n, x.pull_request_id, x.head_sha
  FROM unnest(%(text_n)s::int[], %(text_index)s::text[], %(text_bucket)s::bigint[], %(text_cap)s::int[])
    AS k(n, index_name, bucket_id, cap)
  CROSS JOIN LATERAL (
    SELECT pull_request_id, head_sha FROM lsh_bucket_entries
    WHERE repository_id = %(repository)s AND index_name = k.index_name AND bucket_id = k.bucket_id
      AND pull_request_id < %(before)s
    ORDER BY pull_request_id DESC LIMIT k.cap) x
  UNION ALL
  SELECT k.n, x.pull_request_id, x.head_sha
  FROM unnest(%(path_n)s::int[], %(path)s::text[], %(path_cap)s::int[]) AS k(n, value, cap)
  CROSS JOIN LATERAL (
    SELECT pull_request_id, head_sha FROM pr_changed_paths
    WHERE repository_id = %(repository)s AND path = k.value AND pull_request_id < %(before)s
    ORDER BY pull_request_id DESC LIMIT k.cap) x
  UNION ALL
  SELECT k.n, x.pull_request_id, x.head_sha
  FROM unnest(%(dir_n)s::int[], %(dir)s::text[], %(dir_cap)s::int[]) AS k(n, value, cap)
  CROSS JOIN LATERAL (
    SELECT pull_request_id, head_sha FROM pr_changed_paths
    WHERE repository_id = %(repository)s AND dir_prefix_2 = k.value AND pull_request_id < %(before)s
    ORDER BY pull_request_id DESC LIMIT k.cap) x
  UNION ALL
  SELECT k.n, x.pull_request_id, x.head_sha
  FROM unnest(%(symbol_n)s::int[], %(symbol)s::text[], %(symbol_cap)s::int[]) AS k(n, value, cap)
  CROSS JOIN LATERAL (
    SELECT pull_request_id, head_sha FROM pr_symbols
    WHERE repository_id = %(repository)s AND kind = 'decl' AND symbol = k.value AND pull_request_id < %(before)s
    ORDER BY pull_request_id DESC LIMIT k.cap) x
  UNION ALL
  SELECT k.n, x.pull_request_id, x.head_sha
  FROM unnest(%(symbol_n)s::int[], %(symbol)s::text[], %(symbol_cap)s::int[]) AS k(n, value, cap)
  CROSS JOIN LATERAL (
    SELECT pull_request_id, head_sha FROM pr_symbols
    WHERE repository_id = %(repository)s AND kind = 'import' AND symbol = k.value AND pull_request_id < %(before)s
    ORDER BY pull_request_id DESC LIMIT k.cap) x
), postings AS (
  SELECT DISTINCT n, pull_request_id, head_sha FROM hits
), weighted AS (
  -- the real document frequency is unknown past the cap: a full posting counts as common
  -- (float8, not numeric: ln() on numeric costs ~10 us a row)
  SELECT p.pull_request_id, p.head_sha, k.weight * ln(k.cap * 4.0::float8 / count(*) OVER (PARTITION BY p.n) + 1.0) AS w
  FROM postings p JOIN unnest(%(key_n)s::int[], %(key_weight)s::float8[], %(key_cap)s::int[]) AS k(n, weight, cap)
    ON k.n = p.n
), ranked AS (
  SELECT pull_request_id, head_sha, sum(w) AS weight FROM weighted
  WHERE pull_request_id <> %(exclude)s
  GROUP BY pull_request_id, head_sha
  ORDER BY weight DESC, pull_request_id DESC
  LIMIT %(limit)s
)
"""
_HEADS_TAIL = "SELECT pull_request_id, head_sha, weight FROM ranked ORDER BY weight DESC, pull_request_id DESC"
# stale heads (earlier pushes) are dropped from twice the shortlist
_CURRENT_TAIL = """
SELECT r.pull_request_id, r.head_sha, r.weight, pr.title, pr.body, pr.number, pr.head_ref,
  (SELECT max(s.computed_at) FROM pr_channel_signatures s WHERE s.pull_request_id = r.pull_request_id
   AND s.head_sha = r.head_sha AND s.signature_version = %(version)s) FROM ranked r
JOIN pull_requests pr ON pr.id = r.pull_request_id AND pr.head_sha = r.head_sha
ORDER BY r.weight DESC, r.pull_request_id DESC
LIMIT %(shortlist)s
"""
_HEADS_SQL = _HITS_SQL + _HEADS_TAIL
_CURRENT_SQL = _HITS_SQL + _CURRENT_TAIL
# JSON columns folded into one array: one decode per row instead of eight
_ROWS_SQL = """
SELECT s.pull_request_id, s.head_sha, s.channel, s.canonical_diff_hash, s.simhash64, s.minhash,
  s.minhash_shingle_count, s.winnow_fingerprints,
  jsonb_build_array(s.paths_json, s.symbols_json, s.imports_json, s.exports_json, s.test_intent_json,
                    s.doc_structure_json, s.size_metrics_json, s.errors_json)::text
FROM unnest(%(pull_request)s::bigint[], %(head)s::text[]) AS h(pull_request_id, head_sha)
JOIN pr_channel_signatures s
  ON s.pull_request_id = h.pull_request_id AND s.head_sha = h.head_sha AND s.signature_version = %(version)s
"""
_TEXTS_SQL = """
SELECT h.pull_request_id, h.head_sha, pr.title, pr.body, pr.number, pr.head_ref,
  (SELECT max(s.computed_at) FROM pr_channel_signatures s WHERE s.pull_request_id = h.pull_request_id
   AND s.head_sha = h.head_sha AND s.signature_version = %(version)s)
FROM unnest(%(pull_request)s::bigint[], %(head)s::text[]) AS h(pull_request_id, head_sha)
JOIN pull_requests pr ON pr.id = h.pull_request_id
"""
# Of heads without channel rows of this version, those indexed without any channel row at all (a
# diff without files: an empty pull request, a merge that brought nothing, files whose contents
# could not be read); the others have rows of another version and only wait for their new ones.
_WITHOUT_CHANNELS_SQL = """
SELECT h.pull_request_id, h.head_sha
FROM unnest(%(pull_request)s::bigint[], %(head)s::text[]) AS h(pull_request_id, head_sha)
WHERE NOT EXISTS (SELECT FROM pr_channel_signatures c WHERE c.pull_request_id = h.pull_request_id
                  AND c.head_sha = h.head_sha)
  AND EXISTS (SELECT FROM lsh_bucket_entries e WHERE e.pull_request_id = h.pull_request_id
              AND e.head_sha = h.head_sha)
"""
#: decoded signatures of recently scored heads (see triage.duplicates.core.signature_cache)
signature_cache = SignatureCache()


@contextmanager
def _bound_cursor() -> Iterator[CursorWrapper]:
    """A cursor on Django's connection that sends the parameters apart from the statement.
    Django's default cursor writes them into the SQL text, and the key arrays of a retrieval
    statement (hundreds of bucket ids, paths, symbols) then cost Postgres more to parse than
    the statement costs to run: about a third of the server's time per query. Wrapped as
    Django wraps its own cursors, so errors, execute wrappers and query logging stay as usual."""
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        yield cursor


def _key_params(
    *, repository_id: int, signature: PRSignature, exclude_pull_request_id: int | None,
    before_pull_request_id: int | None, limit: int,
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "repository": repository_id, "limit": limit, "exclude": exclude_pull_request_id or 0,
        "before": before_pull_request_id if before_pull_request_id is not None else 2**62,
        "key_n": [], "key_weight": [], "key_cap": [],
    }
    for table in ("text", "path", "dir", "symbol"):
        params[f"{table}_n"], params[f"{table}_cap"] = [], []
    params.update(text_index=[], text_bucket=[], path=[], dir=[], symbol=[])
    for n, (kind, value) in enumerate(index_keys(signature)):
        table = "text" if kind in TEXT_INDEXES else kind
        params[f"{table}_n"].append(n)
        params[f"{table}_cap"].append(POSTING_CAPS[kind])
        if table == "text":
            params["text_index"].append(kind)
            params["text_bucket"].append(bucket_id(kind, value))
        else:
            params[table].append(value)
        params["key_n"].append(n)
        params["key_weight"].append(KEY_WEIGHTS[kind])
        params["key_cap"].append(POSTING_CAPS[kind])
    return params


def candidate_heads(
    *, repository_id: int, signature: PRSignature, exclude_pull_request_id: int | None = None,
    limit: int = CANDIDATE_LIMIT, before_pull_request_id: int | None = None,
) -> list[tuple[int, str, float]]:
    """(pull request id, head sha, merged weight) of the best-supported candidate heads, best
    first; `before_pull_request_id` keeps only older rows (history replays)."""
    params = _key_params(repository_id=repository_id, signature=signature, limit=limit,
                         exclude_pull_request_id=exclude_pull_request_id, before_pull_request_id=before_pull_request_id)
    with _bound_cursor() as cursor:
        cursor.execute(_HEADS_SQL, params)
        return [(pr_id, head, float(weight)) for pr_id, head, weight in cursor.fetchall()]


def candidate_signatures(
    *, repository_id: int, signature: PRSignature, exclude_pull_request_id: int | None = None,
    limit: int = SHORTLIST, before_pull_request_id: int | None = None,
) -> list[tuple[tuple[int, str], float, PRSignature]]:
    """((pull request id, head sha), merged weight, stored signature) of the `limit` best-supported
    candidate heads that are still their pull request's current head, best first. One query,
    plus one for the signatures not decoded before in this process."""
    params = _key_params(repository_id=repository_id, signature=signature, limit=limit * 2,
                         exclude_pull_request_id=exclude_pull_request_id, before_pull_request_id=before_pull_request_id)
    params.update(shortlist=limit, version=SIGNATURE_VERSION)
    with _bound_cursor() as cursor:
        cursor.execute(_CURRENT_SQL, params)
        heads = cursor.fetchall()
    found = _stored_signatures({(pr_id, head): tuple(texts) for pr_id, head, _, *texts in heads})
    return [((pr_id, head), float(weight), found[(pr_id, head)]) for pr_id, head, weight, *_ in heads
            if (pr_id, head) in found]


def signatures_of_heads(heads: list[tuple[int, str]]) -> dict[tuple[int, str], PRSignature]:
    """Stored signatures of the given heads (current signature version), keyed by head."""
    if not heads:
        return {}
    with _bound_cursor() as cursor:
        cursor.execute(_TEXTS_SQL, {"pull_request": [pr_id for pr_id, _ in heads], "head": [head for _, head in heads],
                                    "version": SIGNATURE_VERSION})
        texts = {(pr_id, head): tuple(texts) for pr_id, head, *texts in cursor.fetchall()}
    return _stored_signatures(texts)


def _stored_signatures(texts: dict[tuple[int, str], tuple]) -> dict[tuple[int, str], PRSignature]:
    """Signatures of heads given with their pull request's title, body, number and branch and the
    time their rows were last written (the revision: another process may rewrite them); only
    heads missing from `signature_cache` under that revision are read (one query) and decoded, and
    of the heads without rows of this version, those indexed without any channel row (one query).
    The branch is cached with the body: a renamed branch names other pull requests."""
    found: dict[tuple[int, str], PRSignature] = {}
    for head, (title, body, _, branch, revision) in texts.items():
        cached = signature_cache.get((*head, SIGNATURE_VERSION), title=title, body=f"{body}\n{branch}",
                                     revision=revision)
        if cached is not None:
            found[head] = cached
    missing = [head for head in texts if head not in found]
    if not missing:
        return found
    rows: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    if stored := [head for head in missing if texts[head][4] is not None]:
        with _bound_cursor() as cursor:
            cursor.execute(_ROWS_SQL, {"pull_request": [pr_id for pr_id, _ in stored],
                                       "head": [head for _, head in stored], "version": SIGNATURE_VERSION})
            for pr_id, head, *channel in cursor.fetchall():
                rows[(pr_id, head)].append(channel)
    if unstored := [head for head in missing if texts[head][4] is None]:
        # a head indexed without any channel row is its title, body and references alone, as the
        # signature computed from its diff is (the in-memory index ranks it on them too); cached
        # under no revision, so that rows stored for it later are read
        with _bound_cursor() as cursor:
            cursor.execute(_WITHOUT_CHANNELS_SQL, {"pull_request": [pr_id for pr_id, _ in unstored],
                                                   "head": [head for _, head in unstored]})
            rows.update({(pr_id, head): [] for pr_id, head in cursor.fetchall()})
    for head, channels in rows.items():
        title, body, number, branch, revision = texts[head]
        found[head] = signature_from_values(channels, title=title, body=body, number=number, branch=branch)
        signature_cache.put((*head, SIGNATURE_VERSION), found[head], title=title, body=f"{body}\n{branch}",
                            revision=revision)
    return found


def pull_request_candidates(*, pull_request: PullRequest) -> QuerySet[CandidateEdge]:
    """Edges of the latest finished run of the PR's current head, best first."""
    run = AnalysisRun.objects.for_head(pull_request).finished().newest_first().first()
    if run is None:
        return CandidateEdge.objects.none()
    return run.edges.select_related("pull_request_b").order_by("rank")


@dataclass(frozen=True)
class LabelledFeedback:
    pull_request: int
    candidate: int
    pair: LabelledPair


def labelled_feedback(*, repository_id: int) -> list[LabelledFeedback]:
    """Maintainer feedback on verdicts joined with the scores of the edge it judged, oldest first;
    a decision other than DUPLICATE says the pair is not the same change. The latest decision on
    an edge stands."""
    rows = Feedback.objects.filter(repository_id=repository_id, edge__isnull=False).order_by("created_at") \
        .values_list("edge_id", "edge__pull_request_a__number", "edge__pull_request_b__number",
                     "edge__scores_json", "edge__final_score", "decision")
    latest = {edge: (a, b, scores, score, decision) for edge, a, b, scores, score, decision in rows}
    return [LabelledFeedback(a, b, LabelledPair(scores=scores, final_score=score, duplicate=decision == "DUPLICATE"))
            for a, b, scores, score, decision in latest.values()]


def labelled_pairs(*, repository_id: int) -> list[LabelledPair]:
    """Maintainer feedback joined with the scores of the edge it judged (for tuning)."""
    return [entry.pair for entry in labelled_feedback(repository_id=repository_id)]
