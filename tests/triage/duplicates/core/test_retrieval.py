import numpy as np

from tests.triage.duplicates.diffs import PYTHON_FIX, REWRITTEN_FIX, UNRELATED
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.retrieval import InMemoryIndex, dir_prefixes, index_keys, rank
from triage.duplicates.core.scoring import NOT_RELATED, RELATED
from triage.duplicates.core.signature import pr_signature


def _sig(diff: str, title: str):
    return pr_signature(parse_unified_diff(diff), title=title, body="")


def test_it_builds_directory_prefixes_up_to_three_levels():
    assert dir_prefixes("src/compiler/parser/x/y.py") == ["src", "src/compiler", "src/compiler/parser"]
    assert dir_prefixes("setup.py") == []


def test_it_keys_a_head_by_paths_symbols_bands_and_words():
    kinds = {kind for kind, _ in index_keys(_sig(PYTHON_FIX, "Fix samefile"))}
    assert {"path", "dir", "symbol", "band", "word", "test"} <= kinds


def test_it_ranks_the_same_change_first_and_finds_a_rewrite_without_shared_lines():
    index = InMemoryIndex()
    index.add("unrelated", _sig(UNRELATED, "Expand tabs"))
    index.add("original", _sig(PYTHON_FIX, "Fix samefile on zero inodes"))
    matches = index.query(_sig(PYTHON_FIX, "[1.x] Fix samefile on zero inodes"))
    assert matches[0].item_id == "original" and matches[0].score.evidence
    rewrite = index.query(_sig(REWRITTEN_FIX, "samefile: zero inode"))
    assert rewrite[0].item_id == "original"


def test_it_only_sees_heads_added_before_the_query():
    index = InMemoryIndex()
    assert index.query(_sig(PYTHON_FIX, "x")) == []


def test_the_combined_fingerprints_are_the_sorted_union_of_the_channels():
    signature = _sig(PYTHON_FIX, "Fix samefile")
    arrays = [channel.winnow for channel in signature.channels.values()]
    assert len(arrays) > 1
    assert (signature.combined_winnow == np.unique(np.concatenate(arrays))).all()


def test_ranking_leaves_out_skipped_categories_and_bundles_evidence_for_the_returned_only():
    query = _sig(PYTHON_FIX, "Fix samefile on zero inodes")
    candidates = [("tabs", _sig(UNRELATED, "Expand tabs"), None), ("b", _sig(PYTHON_FIX, "Fix samefile"), None),
                  ("a", _sig(PYTHON_FIX, "Fix samefile"), None)]
    everything = rank(query, candidates, limit=10)
    best = rank(query, candidates, limit=1, skip={NOT_RELATED})
    assert [match.item_id for match in everything][:2] == ["a", "b"]  # a tie goes to the older (smaller) id
    assert [match.item_id for match in best] == ["a"] and best[0].score.evidence["production_paths"]
    assert "tabs" not in [match.item_id for match in rank(query, candidates, skip={NOT_RELATED, RELATED})]
