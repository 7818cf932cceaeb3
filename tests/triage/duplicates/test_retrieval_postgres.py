from tests.triage.duplicates.diffs import PYTHON_FIX, REWRITTEN_FIX, UNRELATED
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.models import AnalysisRun, ChangedPath, ChannelSignature, ConfigSnapshot, LshBucketEntry, Symbol
from triage.duplicates.selectors import candidate_heads, pull_request_candidates


def test_it_stores_signatures_and_index_rows_for_a_head(acme):
    repository = make_repository(acme)
    pr = make_pull_request(repository, 1, "Fix samefile")
    run = analyse(pr, PYTHON_FIX)
    assert run.status == AnalysisRun.Status.DONE and run.config_version == 1
    assert ChannelSignature.objects.filter(pull_request=pr).count() == 3
    row = ChannelSignature.objects.get(pull_request=pr, channel="PRODUCTION")
    assert len(bytes(row.minhash)) == 512 and "samefile" in row.symbols_json
    assert ChangedPath.objects.get(pull_request=pr, path="src/pkg/paths.py").dir_prefix_2 == "src/pkg"
    assert Symbol.objects.filter(pull_request=pr, symbol="samefile", kind="decl").exists()
    assert LshBucketEntry.objects.filter(pull_request=pr, index_name="band").count() == 32
    assert ConfigSnapshot.objects.get(config_version=1).is_active


def test_it_finds_candidates_through_the_index_tables_and_scores_them(acme):
    repository = make_repository(acme)
    original = make_pull_request(repository, 1, "Fix samefile on zero inodes")
    make_pull_request(repository, 2, "Expand tabs")
    analyse(original, PYTHON_FIX)
    analyse(repository.pull_requests.get(number=2), UNRELATED)
    duplicate = make_pull_request(repository, 3, "Fix samefile on zero inodes, again", day=2)
    run = analyse(duplicate, PYTHON_FIX)
    edges = list(pull_request_candidates(pull_request=duplicate))
    assert edges[0].pull_request_b == original and edges[0].category == "SAME_CHANGE"
    assert edges[0].evidence_json["production_paths"] == ["src/pkg/paths.py"]
    assert all(edge.analysis_run == run for edge in edges)


def test_it_never_offers_a_pull_request_of_another_repository(acme, globex):
    other = make_pull_request(make_repository(globex, "elsewhere"), 1, "Fix samefile")
    analyse(other, PYTHON_FIX)
    mine = make_pull_request(make_repository(acme), 1, "Fix samefile")
    signature = pr_signature(parse_unified_diff(PYTHON_FIX), title="Fix samefile", body="")
    assert candidate_heads(repository_id=mine.repository_id, signature=signature) == []


def test_it_starts_a_new_run_for_a_new_push(acme):
    repository = make_repository(acme)
    pr = make_pull_request(repository, 1, "Fix samefile")
    first = analyse(pr, PYTHON_FIX)
    pr.head_sha = "f" * 40
    pr.save()
    second = analyse(pr, REWRITTEN_FIX)
    assert first.pk != second.pk and second.head_sha == "f" * 40
    assert set(ChannelSignature.objects.filter(pull_request=pr).values_list("head_sha", flat=True)) == {
        pr.head_sha,
        "1".rjust(40, "0"),
    }
