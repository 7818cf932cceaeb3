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
from triage.duplicates.core.tuning import LabelledPair, tune_same_change


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
    strict = {
        **DEFAULT_CONFIG,
        "same_change": {**DEFAULT_CONFIG["same_change"], "code_jaccard": 1.01, "containment": 1.01},
    }
    almost = _sig(PYTHON_FIX.replace("os.path.abspath(b)", "os.path.abspath(b) or False"), "x")
    assert score_pair(almost, _sig(PYTHON_FIX, "y")).category == SAME_CHANGE
    assert score_pair(almost, _sig(PYTHON_FIX, "y"), strict).category != SAME_CHANGE


def test_tuning_moves_the_same_change_threshold_above_a_rejected_pair():
    base = score_pair(_sig(PYTHON_FIX, "a"), _sig(REWRITTEN_FIX, "b")).scores

    def pair(code: float, duplicate: bool) -> LabelledPair:
        scores = {
            **base,
            "code_jaccard": code,
            "paths": 1.0,
            "canonical_equal": 0.0,
            "production_equal": 0.0,
            "containment_a_in_b": 0.0,
            "containment_b_in_a": 0.0,
            "min_shingles": 10.0,
        }
        return LabelledPair(scores=scores, final_score=0.5, duplicate=duplicate)

    result = tune_same_change([pair(0.9, True), pair(0.72, False), pair(0.8, True)], DEFAULT_CONFIG)
    assert result["current_precision"] == 2 / 3
    assert result["suggested_threshold"] == 0.73 and result["suggested_precision"] == 1.0
