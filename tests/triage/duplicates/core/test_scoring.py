from tests.triage.duplicates.diffs import PYTHON_FIX, REWRITTEN_FIX, UNRELATED
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.scoring import (
    COMPETING_IMPLEMENTATION,
    DEFAULT_CONFIG,
    NOT_RELATED,
    RELATED,
    SAME_CHANGE,
    SAME_FEATURE,
    score_pair,
)
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.core.tuning import LabelledPair, judged, tune_from_feedback


def _sig(diff: str, title: str, body: str = ""):
    return pr_signature(parse_unified_diff(diff), title=title, body=body)


def test_it_calls_an_identical_diff_the_same_change():
    pair = score_pair(_sig(PYTHON_FIX, "[8.x] Fix samefile (#1)"), _sig(PYTHON_FIX, "Fix samefile (#1)"))
    assert pair.category == SAME_CHANGE and pair.scores["canonical_equal"] == 1.0
    assert pair.final_score > 0.9


def test_it_calls_a_rewrite_of_the_same_function_for_the_same_issue_a_competing_or_same_feature_change():
    pair = score_pair(
        _sig(REWRITTEN_FIX, "Handle zero inode in samefile", "Fixes #120"),
        _sig(PYTHON_FIX, "Fix samefile on zero inodes", "Closes #120"),
    )
    assert pair.category in (COMPETING_IMPLEMENTATION, SAME_FEATURE)
    assert pair.evidence["production_paths"] == ["src/pkg/paths.py"]
    assert "samefile" in pair.evidence["symbols"] and pair.evidence["references"] == [120]


def test_it_keeps_a_change_to_another_file_out_of_duplicates():
    pair = score_pair(_sig(UNRELATED, "Expand tabs in terminal output"), _sig(PYTHON_FIX, "Fix samefile"))
    assert pair.category in (NOT_RELATED, RELATED)
    assert pair.final_score < 0.2


def test_it_stores_every_value_used_in_the_evidence():
    pair = score_pair(_sig(PYTHON_FIX, "a"), _sig(REWRITTEN_FIX, "b"))
    assert set(pair.evidence["values"]) == set(pair.scores)
    assert {"production_paths", "symbols", "tests", "doc_headings", "doc_code_fences"} <= set(pair.evidence)


def test_it_reads_thresholds_from_the_config():
    def threshold(value: float) -> dict:
        return {**DEFAULT_CONFIG, "same_change": {**DEFAULT_CONFIG["same_change"], "min_probability": value}}

    almost = _sig(PYTHON_FIX.replace("os.path.abspath(b)", "os.path.abspath(b) or False"), "x")
    assert score_pair(almost, _sig(PYTHON_FIX, "y"), threshold(0.5)).category == SAME_CHANGE
    assert score_pair(almost, _sig(PYTHON_FIX, "y"), threshold(0.9999)).category != SAME_CHANGE


def test_without_a_model_the_rules_of_the_first_version_decide():
    legacy = {key: value for key, value in DEFAULT_CONFIG.items() if key != "same_change_model"}
    almost = _sig(PYTHON_FIX.replace("os.path.abspath(b)", "os.path.abspath(b) or False"), "x")
    assert score_pair(almost, _sig(PYTHON_FIX, "y"), legacy).category == SAME_CHANGE
    assert "same_change_probability" not in score_pair(almost, _sig(PYTHON_FIX, "y"), legacy).scores


def test_two_comment_only_changes_to_one_file_are_not_the_same_change():
    comment = "diff --git a/src/a.py b/src/a.py\n--- a/src/a.py\n+++ b/src/a.py\n@@ -1,1 +1,1 @@\n-# old\n+# {}\n"
    pair = score_pair(_sig(comment.format("grammar"), "grammar"), _sig(comment.format("typo"), "typo"))
    assert pair.scores["canonical_equal"] == 0.0 and pair.category != SAME_CHANGE


MODEL_CONFIG = {
    **DEFAULT_CONFIG,
    "same_change_model": {"intercept": -6.0, "coefficients": {"code_jaccard": 12.0}},
    "same_change": {**DEFAULT_CONFIG["same_change"], "min_probability": 0.9},
}


def _pair(code: float, duplicate: bool) -> LabelledPair:
    base = score_pair(_sig(PYTHON_FIX, "a"), _sig(REWRITTEN_FIX, "b")).scores
    scores = {**base, "code_jaccard": code, "paths": 1.0, "canonical_equal": 0.0, "production_equal": 0.0,
              "containment_a_in_b": 0.0, "containment_b_in_a": 0.0, "min_shingles": 10.0}
    return LabelledPair(scores=scores, final_score=0.5, duplicate=duplicate)


def test_with_a_model_the_same_change_verdict_follows_its_probability():
    likely, unlikely = _pair(0.9, True), _pair(0.6, False)
    assert judged(likely, MODEL_CONFIG) == SAME_CHANGE and judged(unlikely, MODEL_CONFIG) != SAME_CHANGE
    stricter = {**MODEL_CONFIG, "same_change": {**MODEL_CONFIG["same_change"], "min_probability": 0.999}}
    assert judged(likely, stricter) != SAME_CHANGE


def test_feedback_rejecting_a_verdict_raises_the_repository_threshold_and_says_what_it_would_change():
    pairs = [_pair(0.95, True), _pair(0.75, False), _pair(0.8, True), _pair(0.99, True)]
    tuning = tune_from_feedback(pairs, MODEL_CONFIG, strength=0.1)
    assert tuning.before["same_change_precision"] < 0.99 <= tuning.after["same_change_precision"]
    summary = tuning.summary()
    assert summary["rejected_same_change_removed"] == 1 and summary["labelled_pairs"] == 4
    assert tuning.config["same_change"]["min_probability"] >= MODEL_CONFIG["same_change"]["min_probability"]


def test_without_feedback_nothing_moves():
    tuning = tune_from_feedback([], MODEL_CONFIG)
    assert tuning.config == MODEL_CONFIG and tuning.changed == []
