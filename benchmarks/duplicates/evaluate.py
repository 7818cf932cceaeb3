"""Replay a history through the retrieval index and measure duplicate detection.

Items are indexed in time order, so a backport only sees older heads. The expected
answer of a backport is its original; any head with the original's patch-id is the same
item. Tiers: identical (same patch-id), near (changed-line Jaccard >= 0.5), hard (< 0.5).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.duplicates.history import PseudoPullRequest
from triage.duplicates.core.retrieval import InMemoryIndex, Match
from triage.duplicates.core.scoring import DEFAULT_CONFIG, SAME_CHANGE, SAME_FEATURE, score_pair
from triage.duplicates.core.signature import PRSignature

NEAR_THRESHOLD = 0.5
_COPY_WORDS = re.compile(
    r"\b(?:cherry-?pick\w*|backport\w*|revert\w*|re-?appl\w*|fixup|squash)\b"  # says it copies/amends another
    r"|^\s*\[[\w.-]*\d[\w.-]*\]"  # "[8.0.x] ..." backport branch prefix
    r"|^\s*(?:\[[^\]]*\]\s*)?Merge (?:pull request|branch)\b",  # a merge subject on a copied commit
    re.IGNORECASE,
)
_PR_NUMBER = re.compile(r"\(?#\d+\)?")
TIERS = ("identical", "near", "hard")


@dataclass
class Query:
    backport: int
    originals: list[int]
    tier: str
    #: what counts as a hit: the originals, heads with an original's patch-id, other heads
    #: that say they were cherry-picked from the same original, and the commits an original
    #: merge brought in (the original pull request's own commits)
    relevant: set[int] = field(default_factory=set)
    #: the spec's strict reading: originals and heads with an original's patch-id only
    strict: set[int] = field(default_factory=set)
    #: "backport" (names its origin), "copy" (an older commit has its author, author date and
    #: subject) or "same_patch" (a head proposing a change an older item has)
    kind: str = "backport"
    #: items of the query's own pull request: the query itself, never a result
    excluded: set[int] = field(default_factory=set)
    #: items that are the query's commit itself copied (same author, author date and subject),
    #: or the heads standing for such copies: strictly right only with a patch-id of `strict`, but
    #: a cherry-pick pair as much as one with a trailer (see report's strict-with-copies figure)
    copies: set[int] = field(default_factory=set)
    rank: int | None = None
    strict_rank: int | None = None
    latency_ms: float = 0.0
    #: processor time the query took: this process's, plus the database server process's when
    #: the search can read it (see replay.PostgresSearch); unlike latency, the machine's load
    #: hardly moves it
    cpu_ms: float = 0.0
    top: list[tuple[str, str, float]] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    wrong_same_change: list[str] = field(default_factory=list)


def _line_overlap(a: frozenset[str] | None, b: frozenset[str] | None) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def queries_of(items: list[PseudoPullRequest]) -> list[Query]:
    """One query per backport that names at least one original older than itself."""
    position = {item.sha: i for i, item in enumerate(items)}
    by_prefix = {item.sha[:12]: i for i, item in enumerate(items)}
    by_patch_id: dict[str, set[int]] = defaultdict(set)
    picked_from: dict[int, set[int]] = defaultdict(set)
    resolved: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        if item.patch_id:
            by_patch_id[item.patch_id].add(i)
        originals = [position.get(sha, by_prefix.get(sha[:12])) for sha in item.cherry_picked_from]
        resolved[i] = [j for j in originals if j is not None and j < i]
        for j in resolved[i]:
            picked_from[j].add(i)
    queries = []
    for i, originals in resolved.items():
        if not originals:
            continue
        item = items[i]
        strict: set[int] = set()
        for j in originals:
            strict |= {j} | (by_patch_id[items[j].patch_id] if items[j].patch_id else set())
        siblings = {k for j in originals for k in picked_from[j]}
        siblings |= {position[sha] for j in originals for sha in items[j].merged_commits if sha in position}
        if any(item.patch_id and item.patch_id == items[j].patch_id for j in originals):
            tier = "identical"
        elif max(_line_overlap(item.lines, items[j].lines) for j in originals) >= NEAR_THRESHOLD:
            tier = "near"
        else:
            tier = "hard"
        relevant = {k for k in strict | siblings if k < i}
        queries.append(Query(backport=i, originals=originals, tier=tier, relevant=relevant,
                             strict={k for k in strict if k < i}))
    return queries


def run_queries(
    items: list[PseudoPullRequest],
    queries: list[Query],
    *,
    config: dict[str, Any] = DEFAULT_CONFIG,
    progress: Callable[[int], None] | None = None,
    search: Callable[[int, PRSignature, int], list[Match]] | None = None,
    indexed: Callable[[int], bool] = lambda position: True,
) -> tuple[list[Query], int, int, int]:
    """Rank of the first relevant item for every query; also the number of SAME_CHANGE verdicts
    in the top 10 lists, how many were relevant, and how many strictly relevant. `search`
    (position, signature, limit) -> best `limit` older items replaces the in-memory index, e.g.
    with the Postgres index tables; it must only return items older than `position`. Items for
    which `indexed(position)` is false are never added to the in-memory index."""
    pending = defaultdict(list)
    for query in queries:
        pending[query.backport].append(query)
    index = InMemoryIndex()
    server_cpu_ns = getattr(search, "server_cpu_ns", None)
    same_change = same_change_true = strict_true = copy_true = 0
    for i, item in enumerate(items):
        for query in pending.get(i, []):
            server_started = server_cpu_ns() if server_cpu_ns is not None else 0
            cpu_started = time.process_time()
            started = time.perf_counter()
            limit = 10 + len(query.excluded)
            if search is None:
                matches = index.query(item.signature, limit=limit, config=config)
            else:
                matches = search(i, item.signature, limit)
            query.latency_ms = (time.perf_counter() - started) * 1000.0
            query.cpu_ms = (time.process_time() - cpu_started) * 1000.0
            if server_cpu_ns is not None:
                query.cpu_ms += (server_cpu_ns() - server_started) / 1e6
            matches = [match for match in matches if match.item_id not in query.excluded][:10]
            query.matches = matches
            for rank, match in enumerate(matches, start=1):
                if match.item_id in query.relevant and query.rank is None:
                    query.rank = rank
                if match.item_id in query.strict and query.strict_rank is None:
                    query.strict_rank = rank
                if match.score.category == SAME_CHANGE:
                    same_change += 1
                    same_change_true += match.item_id in query.relevant
                    strict_true += match.item_id in query.strict
                    copy_true += match.item_id in query.copies and match.item_id not in query.strict
                    if match.item_id not in query.relevant:
                        query.wrong_same_change.append(items[match.item_id].sha[:10])
            query.top = [(items[m.item_id].sha[:10], m.score.category, m.score.final_score) for m in matches[:3]]
        if search is None and indexed(i):
            index.add(i, item.signature)
        if progress is not None:
            progress(1)
    return queries, same_change, same_change_true, strict_true, copy_true


def same_file_false_positive_rate(
    items: list[PseudoPullRequest], *, sample: int = 4000, seed: int = 7, config: dict[str, Any] = DEFAULT_CONFIG,
    linked: Callable[[int, int], bool] | None = None, indexed: Callable[[int], bool] = lambda position: True,
    collect: list[dict[str, float]] | None = None,
) -> tuple[float, int, list[tuple[str, str, str]]]:
    """Share of random unrelated pairs of non-merge commits sharing a file that are called
    SAME_CHANGE or SAME_FEATURE. Pairs linked by cherry-pick, a common original or an
    identical patch-id (or by `linked(a, b)`, positions) are not "unrelated" and are left out.
    `collect` receives the signals of every pair scored (for fitting the same-change model)."""
    by_path: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        if not item.is_merge and indexed(i):
            for path in sorted(item.signature.paths):  # sorted: set order changes between processes
                by_path[path].append(i)
    paths = [path for path, members in by_path.items() if len(members) >= 2]
    rng = random.Random(seed)
    flagged, checked, examples = 0, 0, []
    seen: set[tuple[int, int]] = set()
    attempts = 0
    while checked < sample and paths and attempts < sample * 20:
        attempts += 1
        members = by_path[rng.choice(paths)]
        a, b = sorted(rng.sample(members, 2))
        if (a, b) in seen or _linked(items[a], items[b]) or (linked is not None and linked(a, b)):
            continue
        seen.add((a, b))
        checked += 1
        scored = score_pair(items[b].signature, items[a].signature, config, with_evidence=False)
        verdict = scored.category
        if collect is not None:
            collect.append(scored.scores)
        if verdict in (SAME_CHANGE, SAME_FEATURE):
            flagged += 1
            examples.append((items[b].sha[:10], items[a].sha[:10], verdict))
    return (flagged / checked if checked else 0.0), checked, examples


def _linked(a: PseudoPullRequest, b: PseudoPullRequest) -> bool:
    """Pairs known to be one change without looking at the diff: same patch-id, a shared
    cherry-pick origin, parent and child (follow-up fix-ups), the same subject once branch
    prefixes and PR numbers are removed (re-applied or backported without -x), a subject
    that declares a copy (see `_declares_copy`), or a shared referenced PR / issue number."""
    if a.patch_id and a.patch_id == b.patch_id:
        return True
    origins_a = {sha[:12] for sha in a.cherry_picked_from} | {a.sha[:12]}
    origins_b = {sha[:12] for sha in b.cherry_picked_from} | {b.sha[:12]}
    if origins_a & origins_b or a.sha in b.parents or b.sha in a.parents:
        return True
    if _subject_key(a) == _subject_key(b) or _declares_copy(a) or _declares_copy(b):
        return True
    return bool(a.signature.references & b.signature.references)


def _declares_copy(item: PseudoPullRequest) -> bool:
    """Subjects that say the commit copies, amends, undoes or integrates other commits (without a
    -x trailer): cherry-pick / backport / revert / re-apply / fixup words, a "[8.0.x]" branch
    prefix, or a merge subject on a single-parent commit."""
    return bool(_COPY_WORDS.search(item.title))


def _subject_key(item: PseudoPullRequest) -> str:
    subject = _PR_NUMBER.sub("", item.signature.title.lower())
    return " ".join(word for word in subject.split() if word != "version")


def rank_figures(selected: list[Query], *, strict: bool = False) -> dict[str, Any]:
    """How many queries, and the share whose first right answer (strictly right with `strict`)
    is first, in the top 5 and in the top 10 (None for no query)."""
    n = len(selected)
    ranks = [q.strict_rank if strict else q.rank for q in selected]
    return {
        "n": n,
        "p_at_1": round(sum(r == 1 for r in ranks) / n, 4) if n else None,
        "r_at_5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4) if n else None,
        "r_at_10": round(sum(r is not None and r <= 10 for r in ranks) / n, 4) if n else None,
    }


def report(
    queries: list[Query], same_change: int, same_change_true: int, strict_true: int, copy_true: int = 0
) -> dict[str, Any]:
    latencies = np.array([q.latency_ms for q in queries]) if queries else np.zeros(1)
    cpu = np.array([q.cpu_ms for q in queries]) if queries else np.zeros(1)
    result: dict[str, Any] = {"all": rank_figures(queries), "all_strict": rank_figures(queries, strict=True)}
    for tier in TIERS:
        result[tier] = rank_figures([q for q in queries if q.tier == tier])
    result["same_change_verdicts"] = same_change
    result["same_change_precision"] = round(same_change_true / same_change, 4) if same_change else None
    result["same_change_precision_strict"] = round(strict_true / same_change, 4) if same_change else None
    # the strict reading that also takes a commit copied without a trailer (same author, author date
    # and subject, another commit time) for the cherry-pick pair it is
    result["same_change_precision_strict_with_copies"] = (
        round((strict_true + copy_true) / same_change, 4) if same_change else None)
    result["p50_ms"] = round(float(np.percentile(latencies, 50)), 2)
    result["p95_ms"] = round(float(np.percentile(latencies, 95)), 2)
    result["cpu_p50_ms"] = round(float(np.percentile(cpu, 50)), 2)
    result["cpu_p95_ms"] = round(float(np.percentile(cpu, 95)), 2)
    return result
