"""One repository's duplicate benchmark: load (or reuse) its replay items, derive the ground
truth, replay the queries through an index, and measure every figure, the strict reading beside
the lenient one, verdict confidence against outcomes, and what the repository's own feedback
would change."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.duplicates.competing_eval import competing_figures
from benchmarks.duplicates.evaluate import Query, rank_figures, report, run_queries, same_file_false_positive_rate
from benchmarks.duplicates.pull_heads import PullHeadItem, attach_authorship, attach_commit_facts
from benchmarks.duplicates.replay_items import ReplayItems, replay_items
from benchmarks.duplicates.snapshot import readable
from benchmarks.duplicates.truth import Truth, queries_from, truth_of
from triage.duplicates.core.calibration import expected_calibration_error, reliability_table, same_change_probability
from triage.duplicates.core.scoring import SAME_CHANGE, SAME_FEATURE, categorize
from triage.duplicates.core.signature import SIGNATURE_VERSION
from triage.duplicates.core.text import pull_request_references
from triage.duplicates.core.tuning import LabelledPair, tune_from_feedback

Progress = Callable[[str, int], Callable[[int], None]]


@dataclass
class Replay:
    name: str
    pull_heads: bool
    items: list
    truth: Truth
    queries: list[Query]
    skipped_heads: dict[str, int] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Names the item list (for the Postgres replay's repository): same list, same rows."""
        digest = hashlib.blake2b(b"rows with real numbers and branches", digest_size=6)
        for position, item in enumerate(self.items):
            if self.truth.indexed(position):
                digest.update(f"{type(item).__name__}:{item.sha}\n".encode())
        return digest.hexdigest()


def repository_name(path: Path) -> str:
    """"pytest" for /work/repos/pytest and for a fetched mirror /…/pytest-dev+pytest/repo."""
    resolved = path.resolve()
    folder = resolved.parent.name if resolved.name in ("repo", ".git") else resolved.name
    return folder.split("+", 1)[-1].removesuffix(".git")


#: names what `attach_commit_facts` computes: cached items with another version get them again
FACTS_VERSION = 3
#: items already loaded in this process, by path (a replay with and one without heads share them)
_loaded: dict[str, ReplayItems] = {}


def _cached_items(path: Path, cache: Path | None, progress: Callable[[int], None] | None) -> ReplayItems:
    """Items with pull request heads and their commit facts (a replay without heads leaves the
    heads out of the same list), from this process, the cache folder, or the repository."""
    key = str(path.resolve())
    if key in _loaded:
        return _loaded[key]
    file = cache / f"{repository_name(path)}-v{SIGNATURE_VERSION}.pkl" if cache is not None else None
    loaded, facts = None, 0
    if file is not None and file.exists():
        with file.open("rb") as stream:
            cached = pickle.load(stream)  # noqa: S301 - a file this command wrote itself
        if cached.get("path") == key:
            loaded, facts = cached["items"], cached.get("facts_version", 0)
    if loaded is None:
        loaded = replay_items(path, pull_heads=True, progress=progress)
    if facts != FACTS_VERSION:
        with readable(path) as repo:
            if facts in (1, 2):  # version 2 added the authorship, version 3 that of merges
                attach_authorship(repo, loaded.items)
            else:
                attach_commit_facts(repo, loaded.items)
        if file is not None:
            cache.mkdir(parents=True, exist_ok=True)
            with file.open("wb") as stream:
                pickle.dump({"path": key, "items": loaded, "facts_version": FACTS_VERSION}, stream)
    _loaded[key] = loaded
    return loaded


def replay_of(
    path: Path, *, name: str, pull_heads: bool, cache: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Replay:
    """The repository's items (landed commits, and heads when `pull_heads`), truth and queries."""
    loaded = _cached_items(path, cache, progress)
    items = loaded.items if pull_heads else [item for item in loaded.items if not isinstance(item, PullHeadItem)]
    truth = truth_of(items)
    _references_as_in_production(truth)
    return Replay(name=name, pull_heads=pull_heads, items=items, truth=truth, queries=queries_from(truth),
                  skipped_heads=loaded.skipped_heads if pull_heads else {})


def _references_as_in_production(truth: Truth) -> None:
    """A pull request's references include its own number and what its branch is named after (in
    production the pull request's row has both); a head's branch is read from the merge commit that
    landed it, since git keeps no branch name for the others."""
    items = truth.items
    for item in items:
        number = item.number if isinstance(item, PullHeadItem) else None
        subjects = [items[j].title for j in truth.landing.get(number, [])] if number else [item.title]
        branch = " ".join(subject.partition(" from ")[2] for subject in subjects
                          if subject.startswith("Merge pull request #"))
        item.signature.references = pull_request_references(item.title, item.body, number=number, branch=branch)
        item.branch = branch


def _verdicts(queries: list[Query], config: dict[str, Any]) -> list[tuple[Query, Any, str]]:
    """(query, match, category under `config`) of every result; the ranking does not depend on the
    thresholds or the calibration, so stored matches are re-judged without a new replay."""
    found = []
    for query in queries:
        for match in query.matches:
            values = dict(match.score.scores)
            if "same_change_model" in config:
                values["same_change_probability"] = same_change_probability(
                    values, config["same_change_model"], config.get("calibration"))
            found.append((query, match, categorize(values, match.score.final_score, config), values))
    return found


def precision_under(queries: list[Query], config: dict[str, Any]) -> dict[str, Any]:
    """SAME_CHANGE verdicts of the top-10 lists under `config`, and how many were right."""
    verdicts = [(q, m) for q, m, category, _ in _verdicts(queries, config) if category == SAME_CHANGE]
    n = len(verdicts)
    right = sum(m.item_id in q.relevant for q, m in verdicts)
    strict = sum(m.item_id in q.strict for q, m in verdicts)
    return {"same_change_verdicts": n,
            "same_change_precision": round(right / n, 4) if n else None,
            "same_change_precision_strict": round(strict / n, 4) if n else None}


def reliability(queries: list[Query], config: dict[str, Any]) -> dict[str, Any]:
    """Reliability of the same-change probability: over SAME_CHANGE verdicts, and over every
    candidate of the top-10 lists (the number shown beside every category)."""
    verdicts = _verdicts(queries, config)
    if "same_change_model" not in config:
        return {}
    every = [(values["same_change_probability"], m.item_id in q.relevant) for q, m, _, values in verdicts]
    same = [(values["same_change_probability"], m.item_id in q.relevant) for q, m, c, values in verdicts
            if c == SAME_CHANGE]

    def table(pairs: list[tuple[float, bool]]) -> dict[str, Any]:
        rows = reliability_table(pairs)
        return {"ece": expected_calibration_error(rows),
                "bins": [[row.low, row.high, row.n, row.mean_confidence, row.share_right] for row in rows]}

    return {"same_change": table(same), "all_candidates": table(every)}


def feedback_replay(queries: list[Query], config: dict[str, Any]) -> dict[str, Any]:
    """What the repository's own feedback does: the earlier half of the queries (in time) stands
    for maintainers confirming or rejecting every verdict they were shown; the thresholds and
    calibration that feedback moves to are then measured on the later half."""
    ordered = sorted(queries, key=lambda q: q.backport)
    half = len(ordered) // 2
    earlier, later = ordered[:half], ordered[half:]
    # a maintainer judges what is flagged: the verdicts shown as the same change or feature
    shown = [LabelledPair(scores=values, final_score=m.score.final_score, duplicate=m.item_id in q.relevant)
             for q, m, category, values in _verdicts(earlier, config) if category in (SAME_CHANGE, SAME_FEATURE)]
    moved = tune_from_feedback(shown, config)
    return {
        "feedback_pairs": len(shown),
        "moved": moved.summary(),
        "later_half_before": {**precision_under(later, config), "reliability": reliability(later, config)},
        "later_half_after": {**precision_under(later, moved.config), "reliability": reliability(later, moved.config)},
    }


def measure(
    replay: Replay, *, config: dict[str, Any], search: Callable | None = None, fp_sample: int = 4000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every figure of one replay (in-memory index unless `search` is given)."""
    queries, *verdicts = run_queries(replay.items, replay.queries, config=config, search=search,
                                     indexed=replay.truth.indexed, progress=progress)
    result = report(queries, *verdicts)
    result["hard_strict"] = rank_figures([q for q in queries if q.tier == "hard"], strict=True)
    # per kind, so that figures stay comparable when a kind of query is added to the truth
    result["kinds"] = {
        kind: {**rank_figures(selected := [q for q in queries if q.kind == kind]), **_precision(selected)}
        for kind in ("backport", "copy", "same_patch")
    }
    rate, checked, examples = same_file_false_positive_rate(
        replay.items, sample=fp_sample, config=config, linked=replay.truth.linked, indexed=replay.truth.indexed)
    result["fp_rate_same_file"] = round(rate, 5)
    result["fp_same_change_rate_same_file"] = round(
        sum(verdict == SAME_CHANGE for *_, verdict in examples) / checked, 5) if checked else None
    result["fp_same_feature_rate_same_file"] = round(
        sum(verdict == SAME_FEATURE for *_, verdict in examples) / checked, 5) if checked else None
    result["fp_pairs_checked"] = checked
    result["reliability"] = reliability(queries, config)
    result["feedback"] = feedback_replay(queries, config)
    if replay.pull_heads:
        result["competing"] = competing_figures(replay.truth)
    result["_fp_examples"] = examples
    return result


def _precision(selected: list[Query]) -> dict[str, Any]:
    """SAME_CHANGE verdicts in the queries' top-10 lists and how many were right (both readings)."""
    verdicts = [(q, m) for q in selected for m in q.matches if m.score.category == SAME_CHANGE]
    n = len(verdicts)
    right = sum(m.item_id in q.relevant for q, m in verdicts)
    strict = sum(m.item_id in q.strict for q, m in verdicts)
    return {"same_change_verdicts": n, "same_change_precision": round(right / n, 4) if n else None,
            "same_change_precision_strict": round(strict / n, 4) if n else None}

