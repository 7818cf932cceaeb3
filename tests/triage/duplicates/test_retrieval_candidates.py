"""Candidate retrieval on the Postgres index tables: ranking in one statement, common keys,
stale heads, heads without channel rows, history replays and the cache of decoded signatures."""

import pytest

from tests.triage.duplicates.diffs import PYTHON_FIX, UNRELATED
from tests.triage.duplicates.fixtures import make_pull_request, make_repository
from triage.duplicates import selectors
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.signature import SIGNATURE_VERSION, pr_signature
from triage.duplicates.models import ChannelSignature
from triage.duplicates.selectors import candidate_heads, candidate_signatures, signature_cache, signatures_of_heads
from triage.duplicates.services.signatures import signatures_store, signatures_store_many


@pytest.fixture(autouse=True)
def empty_cache():
    signature_cache.clear()
    yield
    signature_cache.clear()


def _diff(path: str, *lines: str) -> str:
    added = "".join(f"+{line}\n" for line in lines)
    header = f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
    return f"{header}@@ -1,1 +1,{len(lines) + 1} @@\n context\n{added}"


def _sig(diff: str, title: str):
    return pr_signature(parse_unified_diff(diff), title=title, body="")


def _store(repository, number: int, diff: str, title: str):
    pull_request = make_pull_request(repository, number, title)
    signatures_store_many([(pull_request, pull_request.head_sha, _sig(diff, title))])
    return pull_request


def test_a_path_every_head_touches_does_not_bury_the_original(acme, monkeypatch):
    monkeypatch.setitem(selectors.POSTING_CAPS, "path", 5)
    monkeypatch.setitem(selectors.POSTING_CAPS, "dir", 5)
    repository = make_repository(acme)
    original = _store(repository, 1, PYTHON_FIX + _diff("doc/en/changelog.rst", "Fixed samefile."),
                      "Fix samefile on zero inodes")
    for number in range(2, 32):
        # thirty newer heads share only the changelog (and its directory) with the original
        _store(repository, number, _diff("doc/en/changelog.rst", f"Entry {number} about topic{number}."),
               f"Topic{number} release note")
    query = _sig(PYTHON_FIX + _diff("doc/en/changelog.rst", "Fixed samefile again."), "[8.0.x] Fix samefile")

    found = candidate_signatures(repository_id=repository.pk, signature=query, limit=3)

    assert found[0][0] == (original.pk, original.head_sha) and len(found) == 3
    weights = {pr_id: weight for pr_id, _, weight in candidate_heads(repository_id=repository.pk, signature=query)}
    # only the newest five changelog heads were read, and each counts for little
    assert len(weights) == 6
    assert max(weight for pr_id, weight in weights.items() if pr_id != original.pk) < weights[original.pk] / 3


def test_it_leaves_out_earlier_pushes_of_a_pull_request(acme):
    repository = make_repository(acme)
    pull_request = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    old_head = pull_request.head_sha
    pull_request.head_sha = "f" * 40
    pull_request.save()
    signatures_store_many([(pull_request, pull_request.head_sha, _sig(UNRELATED, "Expand tabs"))])
    query = _sig(PYTHON_FIX, "Fix samefile")

    assert (pull_request.pk, old_head) in [(pr, head) for pr, head, _ in candidate_heads(
        repository_id=repository.pk, signature=query)]
    assert [head for head, _, _ in candidate_signatures(repository_id=repository.pk, signature=query)] == [
        (pull_request.pk, "f" * 40)
    ]


def test_a_replay_only_sees_older_pull_requests_and_never_the_excluded_one(acme):
    repository = make_repository(acme)
    first = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    second = _store(repository, 2, PYTHON_FIX, "Fix samefile")
    third = _store(repository, 3, PYTHON_FIX, "Fix samefile")
    query = _sig(PYTHON_FIX, "Fix samefile")

    older = candidate_signatures(repository_id=repository.pk, signature=query, before_pull_request_id=third.pk)
    others = candidate_signatures(repository_id=repository.pk, signature=query, exclude_pull_request_id=second.pk)

    assert {pr_id for (pr_id, _), _, _ in older} == {first.pk, second.pk}
    assert {pr_id for (pr_id, _), _, _ in others} == {first.pk, third.pk}


def test_it_reads_a_signature_once_and_again_after_the_title_changes(acme, django_assert_num_queries):
    repository = make_repository(acme)
    pull_request = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    query = _sig(PYTHON_FIX, "Fix samefile")

    with django_assert_num_queries(2):
        first = candidate_signatures(repository_id=repository.pk, signature=query)
    with django_assert_num_queries(1):
        again = candidate_signatures(repository_id=repository.pk, signature=query)
    pull_request.title = "Compare inode numbers safely"
    pull_request.save()
    with django_assert_num_queries(2):
        renamed = candidate_signatures(repository_id=repository.pk, signature=query)

    assert again[0][2] is first[0][2]
    assert renamed[0][2].title_words == {"compare", "inode", "numbers", "safely"}
    assert renamed[0][2].channels["PRODUCTION"].paths == ["src/pkg/paths.py"]


def test_stored_signatures_score_like_the_computed_ones(acme):
    repository = make_repository(acme)
    pull_request = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    computed = _sig(PYTHON_FIX, "Fix samefile")

    stored = signatures_of_heads([(pull_request.pk, pull_request.head_sha)])[(pull_request.pk, pull_request.head_sha)]

    assert stored.paths == computed.paths and stored.symbols == computed.symbols
    assert (stored.combined_minhash == computed.combined_minhash).all()
    assert (stored.combined_winnow == computed.combined_winnow).all()
    assert stored.test_names == computed.test_names and stored.title_words == computed.title_words


def test_a_head_stored_again_by_another_process_is_not_served_from_the_cache(acme):
    # Another worker completes a head's files and stores its signature again: this process's
    # cached decoding is of the rows it replaced, and must not be served.
    repository = make_repository(acme)
    pull_request = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    head = (pull_request.pk, pull_request.head_sha)
    before = signatures_of_heads([head])[head]
    assert signatures_of_heads([head])[head] is before  # served from the cache

    signatures_store(pull_request=pull_request, head_sha=pull_request.head_sha,
                     signature=_sig(PYTHON_FIX + _diff("doc/en/changelog.rst", "Fixed samefile."), "Fix samefile"))
    after = signatures_of_heads([head])[head]

    assert after is not before
    assert "doc/en/changelog.rst" in after.channels["DOCS"].paths


def test_a_head_whose_diff_has_no_file_is_found_by_its_text_as_in_memory(acme, django_assert_num_queries):
    # A merge that brought nothing (or a pull request of data files only) has no channel rows,
    # only its text keys; the in-memory index finds it by its references and title, and so must
    # the tables.
    repository = make_repository(acme)
    merge = make_pull_request(repository, 1, "Merge pull request #14722 from astropy/update-iers")
    signatures_store_many([(merge, merge.head_sha, pr_signature([], title=merge.title, body=""))])
    _store(repository, 2, UNRELATED, "Expand tabs")
    query = _sig(_diff("astropy/utils/iers/data/Leap_Second.dat", "2023 1 1"),
                 "Backport PR #14722: Update IERS Earth rotation and leap second tables")

    with django_assert_num_queries(2):  # the candidates, then which have no channel row at all
        found = candidate_signatures(repository_id=repository.pk, signature=query)
    with django_assert_num_queries(1):  # nothing to read again
        again = candidate_signatures(repository_id=repository.pk, signature=query)

    (head, _, signature), = found
    assert head == (merge.pk, merge.head_sha) and again[0][2] is signature
    assert signature.channels == {} and "14722" in {str(number) for number in signature.references}
    assert signatures_of_heads([head])[head].title_words == signature.title_words


def test_a_head_with_rows_of_another_signature_version_only_waits_for_its_new_ones(acme):
    repository = make_repository(acme)
    pull_request = _store(repository, 1, PYTHON_FIX, "Fix samefile")
    ChannelSignature.objects.filter(pull_request=pull_request).update(signature_version=SIGNATURE_VERSION - 1)
    query = _sig(PYTHON_FIX, "Fix samefile")

    assert candidate_heads(repository_id=repository.pk, signature=query)
    assert candidate_signatures(repository_id=repository.pk, signature=query) == []
    assert signatures_of_heads([(pull_request.pk, pull_request.head_sha)]) == {}
