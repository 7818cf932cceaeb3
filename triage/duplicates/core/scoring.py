"""Pairwise scoring of two PR signatures: per-signal similarities, a final score, a category
and the evidence bundle every verdict carries.

ALGORITHM_VERSION names the signal definitions and decision rules in this module; the
thresholds are data (`DEFAULT_CONFIG`, stored as config snapshots with a config_version).
Precision comes first: SAME_CHANGE needs the code itself to match, not just the topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.duplicates.core import minhash, simhash, winnowing
from triage.duplicates.core.calibration import same_change_probability
from triage.duplicates.core.signature import DOCS, PRODUCTION, TESTS, PRSignature

ALGORITHM_VERSION = 2

SAME_CHANGE = "SAME_CHANGE"
SAME_FEATURE = "SAME_FEATURE"
COMPETING_IMPLEMENTATION = "COMPETING_IMPLEMENTATION"
RELATED = "RELATED"
NOT_RELATED = "NOT_RELATED"
UNCERTAIN = "UNCERTAIN"
CATEGORIES = (SAME_CHANGE, SAME_FEATURE, COMPETING_IMPLEMENTATION, RELATED, NOT_RELATED, UNCERTAIN)

DEFAULT_CONFIG: dict[str, Any] = {
    "config_version": 2,
    "weights": {"code": 0.5, "containment": 0.1, "paths": 0.12, "symbols": 0.08, "title": 0.12,
                "references": 0.08, "canonical_bonus": 0.05},
    # SAME_CHANGE: identical changed lines, or a same-change probability at or above min_probability
    # (code_jaccard, paths and containment are the rules of configurations without a model)
    "same_change": {"code_jaccard": 0.7, "paths": 0.5, "containment": 0.85, "containment_min_code": 0.3,
                    "min_shingles": 3, "min_probability": 0.995},
    #: fitted by `triage_fit` on the repositories in `tuned_on` only (both with and without
    #: their pull request heads); the benchmark reports every other repository as held out
    "same_change_model": {
        "intercept": -6.3701,
        "coefficients": {
            "code_jaccard": 3.4954, "prod_jaccard": 1.581, "tests_jaccard": 2.1367, "docs_jaccard": 0.4558,
            "containment_min": -2.524, "containment_max": 5.5842, "paths": 0.3737, "prod_paths": 0.7785,
            "symbols": 0.9161, "tests": 0.5995, "title": 1.3419, "references": 3.9922,
            "production_equal": 0.1848, "canonical_equal": 3.6103, "log_min_shingles": -0.6952,
            "size_ratio": -0.8218, "prod_share": -0.3408
        },
    },
    "tuned_on": ["numpy", "pytest"],
    "same_feature": {"code_jaccard": 0.35, "paths": 0.5, "title": 0.3, "symbols": 0.3},
    "competing": {"max_code_jaccard": 0.25, "prod_paths": 0.5, "title": 0.4},
    #: competing work: the share of such verdicts the tuning repositories' histories bore out
    #: (the two pull requests did not both land; the superseded one never landed), Laplace-smoothed
    "competing_work": {"confidence": {"SAME_ISSUE": 0.657, "RACING": 0.984, "SUPERSEDED_BY_COMMIT": 0.978}},
    "related": {"score": 0.15},
    "uncertain_margin": 0.05,
    #: what GitHub is told (GitInsight's check run, where a repository turns it on): "the same change as"
    #: only for SAME_CHANGE at or above this score
    "act": {"min_score": 0.85},
}


@dataclass
class PairScore:
    final_score: float
    category: str
    scores: dict[str, float]
    evidence: dict[str, Any]


def _jaccard(a: set[Any] | frozenset[Any], b: set[Any] | frozenset[Any]) -> float:
    if not a or not b:
        return 0.0
    # |a | b| without building the union: candidates can carry thousands of symbols
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _channel_jaccard(a: PRSignature, b: PRSignature, channel: str) -> float:
    if channel not in a.channels or channel not in b.channels:
        return 0.0
    return minhash.jaccard(a.channels[channel].minhash, b.channels[channel].minhash)


def signals(a: PRSignature, b: PRSignature, *, title_similarity: float | None = None) -> dict[str, float]:
    """Every similarity used by the decision, each in 0..1."""
    wa, wb = a.combined_winnow, b.combined_winnow
    shared = winnowing.shared_count(wa, wb)
    prod_hash_equal = (
        PRODUCTION in a.channels and PRODUCTION in b.channels
        and a.channels[PRODUCTION].canonical_diff_hash == b.channels[PRODUCTION].canonical_diff_hash
    )
    all_hash_equal = set(a.channels) == set(b.channels) and all(
        a.channels[c].canonical_diff_hash == b.channels[c].canonical_diff_hash for c in a.channels
    )
    # two comment-only or whitespace-only changes to one file hash alike: equality needs changed lines
    prod_hash_equal = prod_hash_equal and a.channels[PRODUCTION].shingle_count > 0
    all_hash_equal = all_hash_equal and a.shingle_count > 0
    return {
        "code_jaccard": minhash.jaccard(a.combined_minhash, b.combined_minhash),
        "prod_jaccard": _channel_jaccard(a, b, PRODUCTION),
        "tests_jaccard": _channel_jaccard(a, b, TESTS),
        "docs_jaccard": _channel_jaccard(a, b, DOCS),
        "prod_simhash": simhash.similarity(a.channels[PRODUCTION].simhash64, b.channels[PRODUCTION].simhash64)
        if PRODUCTION in a.channels and PRODUCTION in b.channels else 0.0,
        "containment_a_in_b": shared / len(wa) if len(wa) else 0.0,
        "containment_b_in_a": shared / len(wb) if len(wb) else 0.0,
        "paths": _jaccard(a.paths, b.paths),
        "prod_paths": _jaccard(a.production_paths, b.production_paths),
        "symbols": _jaccard(a.symbols, b.symbols),
        "tests": _jaccard(a.test_names, b.test_names),
        "title": title_similarity if title_similarity is not None else _jaccard(a.title_words, b.title_words),
        "references": 1.0 if a.references & b.references else 0.0,
        "production_equal": 1.0 if prod_hash_equal else 0.0,
        "canonical_equal": 1.0 if (prod_hash_equal and all_hash_equal) or (all_hash_equal and a.channels) else 0.0,
        "min_shingles": float(min(a.shingle_count, b.shingle_count)),
        "max_shingles": float(max(a.shingle_count, b.shingle_count)),
        # how much of each change is production code (the smaller share of the two)
        "prod_share": min(_production_share(a), _production_share(b)),
    }


def _production_share(signature: PRSignature) -> float:
    if PRODUCTION not in signature.channels or not signature.shingle_count:
        return 0.0
    return signature.channels[PRODUCTION].shingle_count / signature.shingle_count


def final_score(values: dict[str, float], config: dict[str, Any]) -> float:
    weights = config["weights"]
    containment = min(values["containment_a_in_b"], values["containment_b_in_a"])
    score = (
        weights["code"] * values["code_jaccard"]
        + weights["containment"] * containment
        + weights["paths"] * values["paths"]
        + weights["symbols"] * values["symbols"]
        + weights["title"] * values["title"]
        + weights["references"] * values["references"]
    )
    # identical diffs get a bonus rather than a flat 1.0, so that among several identical
    # heads the one whose title and references also match ranks first
    score += weights["canonical_bonus"] * values["canonical_equal"]
    return round(min(score, 1.0), 4)


def categorize(values: dict[str, float], score: float, config: dict[str, Any], *, degraded: bool = False) -> str:
    feature, competing = config["same_feature"], config["competing"]
    if _is_same_change(values, config):
        return SAME_CHANGE
    topical = values["references"] > 0 or values["title"] >= feature["title"] or values["tests"] > 0
    if values["code_jaccard"] >= feature["code_jaccard"] and values["paths"] >= feature["paths"] and topical:
        return SAME_FEATURE
    if values["references"] > 0 and (values["paths"] >= feature["paths"] or values["symbols"] >= feature["symbols"]):
        return SAME_FEATURE if values["code_jaccard"] > competing["max_code_jaccard"] else COMPETING_IMPLEMENTATION
    if (
        values["prod_paths"] >= competing["prod_paths"]
        and values["code_jaccard"] <= competing["max_code_jaccard"]
        and values["title"] >= competing["title"]
        and values["symbols"] > 0
    ):
        return COMPETING_IMPLEMENTATION
    if degraded and abs(score - config["related"]["score"]) <= config["uncertain_margin"]:
        return UNCERTAIN
    if score >= config["related"]["score"] or values["paths"] > 0 or values["symbols"] > 0:
        return RELATED
    return NOT_RELATED


def _is_same_change(values: dict[str, float], config: dict[str, Any]) -> bool:
    """Identical changed lines, or (with a fitted model in the configuration) a probability of
    being the same change at or above the repository's threshold; without a model, the
    threshold rules of algorithm version 1."""
    same_change = config["same_change"]
    if values["canonical_equal"]:
        return True
    if values["min_shingles"] < same_change["min_shingles"]:
        return False
    if "min_probability" in same_change and "same_change_model" in config:
        return values.get("same_change_probability", 0.0) >= same_change["min_probability"]
    containment = min(values["containment_a_in_b"], values["containment_b_in_a"])
    # the same production change, whatever tests or docs came with it
    if values["production_equal"]:
        return True
    return values["paths"] >= same_change["paths"] and (
        values["code_jaccard"] >= same_change["code_jaccard"]
        # fingerprints of boilerplate (table borders, generated lists) can match while no line
        # does; containment only counts when the changed lines overlap too
        or (containment >= same_change["containment"] and values["code_jaccard"] >= same_change["containment_min_code"])
    )


def _top(items: set[str], limit: int) -> list[str]:
    return sorted(items)[:limit]


def evidence(a: PRSignature, b: PRSignature, values: dict[str, float]) -> dict[str, Any]:
    """The minimum evidence bundle of a verdict (overlaps plus every value used)."""
    def channel_set(sig: PRSignature, channel: str, attribute: str) -> set[str]:
        return set(getattr(sig.channels[channel], attribute)) if channel in sig.channels else set()

    def intent(sig: PRSignature, key: str) -> set[str]:
        return set(sig.channels[TESTS].test_intent.get(key, [])) if TESTS in sig.channels else set()

    def docs(sig: PRSignature, key: str) -> set[str]:
        return set(sig.channels[DOCS].doc_structure.get(key, [])) if DOCS in sig.channels else set()

    return {
        "production_paths": _top(channel_set(a, PRODUCTION, "paths") & channel_set(b, PRODUCTION, "paths"), 10),
        "symbols": _top(
            (channel_set(a, PRODUCTION, "declarations") | channel_set(a, PRODUCTION, "exports"))
            & (channel_set(b, PRODUCTION, "declarations") | channel_set(b, PRODUCTION, "exports")), 20
        ),
        "imports": _top(channel_set(a, PRODUCTION, "imports") & channel_set(b, PRODUCTION, "imports"), 20),
        "tests": _top(intent(a, "tests") & intent(b, "tests"), 10),
        "test_matchers": _top(intent(a, "matchers") & intent(b, "matchers"), 10),
        "doc_headings": _top(docs(a, "headings") & docs(b, "headings"), 10),
        "doc_code_fences": _top(docs(a, "codeFences") & docs(b, "codeFences"), 10),
        "references": sorted(a.references & b.references)[:10],
        "values": values,
    }


def score_pair(
    a: PRSignature,
    b: PRSignature,
    config: dict[str, Any] = DEFAULT_CONFIG,
    *,
    title_similarity: float | None = None,
    with_evidence: bool = True,
) -> PairScore:
    """Score head `a` against candidate `b`; `with_evidence=False` skips the bundle while ranking."""
    values = signals(a, b, title_similarity=title_similarity)
    if "same_change_model" in config:
        values["same_change_probability"] = round(
            same_change_probability(values, config["same_change_model"], config.get("calibration")), 4)
    score = final_score(values, config)
    degraded = a.has_errors() or b.has_errors()
    bundle = evidence(a, b, values) if with_evidence else {}
    return PairScore(score, categorize(values, score, config, degraded=degraded), values, bundle)
