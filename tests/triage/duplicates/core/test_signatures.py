from tests.triage.duplicates.diffs import PYTHON_FIX
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.signature import DOCS, PRODUCTION, TESTS, pr_signature


def _signature(title="Fix samefile on zero inodes (#123)", body="Fixes #120"):
    return pr_signature(parse_unified_diff(PYTHON_FIX), title=title, body=body)


def test_it_splits_a_pull_request_into_channels():
    signature = _signature()
    assert set(signature.channels) == {PRODUCTION, TESTS, DOCS}
    assert signature.channels[PRODUCTION].paths == ["src/pkg/paths.py"]


def test_it_records_symbols_test_intent_and_doc_structure_per_channel():
    signature = _signature()
    assert "samefile" in signature.channels[PRODUCTION].declarations
    intent = signature.channels[TESTS].test_intent
    assert intent["tests"] == ["test_samefile_zero_inode"] and "assert" in intent["matchers"]
    assert "Zero inodes" in signature.channels[DOCS].doc_structure["headings"]


def test_it_measures_size_and_hashes_the_canonical_diff():
    production = _signature().channels[PRODUCTION]
    assert production.size_metrics["additions"] == 4 and production.size_metrics["deletions"] == 1
    assert len(production.canonical_diff_hash) == 64
    assert production.canonical_diff_hash == _signature(title="another title").channels[PRODUCTION].canonical_diff_hash


def test_it_cleans_backport_titles_and_keeps_references():
    signature = _signature(title="[8.3.x] Fix samefile on zero inodes (#123)", body="(cherry picked from commit abc)")
    assert signature.title.startswith("Fix samefile") and signature.references == {123}
    assert "samefile" in signature.title_words and "fix" not in signature.title_words


def test_it_takes_a_merge_title_from_the_body():
    signature = _signature(title="Merge pull request #77 from a/b", body="Speed up collection\n\nmore")
    assert signature.title == "Speed up collection" and 77 in signature.references
