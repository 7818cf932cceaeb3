"""bench_pr_verdict: which pull requests it opens from a real clone, and the whole run against
gunicorn, a worker cluster and the fake GitHub on loopback."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.pr_verdict import DUPLICATE_BASE, heads_from_history

PYTEST_MIRROR = Path("/work/.mirror/pytest-dev+pytest/repo")
LOGS = Path("/work/shared/data/ci/pytorch-log-fixtures/classify")

needs_mirror = pytest.mark.skipif(not (PYTEST_MIRROR / "HEAD").exists(), reason="the pytest mirror is not fetched")


def _is_ancestor(ancestor: str, sha: str) -> bool:
    import subprocess

    return subprocess.run(["git", f"--git-dir={PYTEST_MIRROR}", "merge-base", "--is-ancestor", ancestor, sha],
                          capture_output=True, timeout=60).returncode == 0


@needs_mirror
def test_it_opens_unmerged_pull_request_heads_some_twice_and_some_with_a_failed_check(tmp_path):
    logs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    heads = heads_from_history(PYTEST_MIRROR, prs=10, duplicates=2, failing=2, logs=logs)

    originals = [head for head in heads if head.same_as is None]
    repeats = [head for head in heads if head.same_as is not None]
    assert (len(heads), len(originals), len(repeats)) == (10, 8, 2)
    assert len({head.number for head in heads}) == 10
    for head in originals:
        assert head.base_sha != head.head_sha and _is_ancestor(head.base_sha, head.head_sha)
    by_number = {head.number: head for head in originals}
    for repeat in repeats:
        original = by_number[repeat.same_as]
        assert repeat.number == DUPLICATE_BASE + original.number
        assert repeat.head_sha == original.head_sha and repeat.author != original.author
    assert sorted(head.failing_log for head in heads if head.failing_log) == logs


@needs_mirror
@pytest.mark.heavy  # gunicorn, a worker cluster that loads the embedding model, and real pytest heads
@pytest.mark.django_db(transaction=True)
def test_the_command_puts_one_check_run_on_every_pull_request_through_gunicorn():
    out = StringIO()
    call_command("bench_pr_verdict", prs=6, duplicates=1, failing=1, processes=1, workers=2, timeout=240,
                 git_dir=PYTEST_MIRROR, logs_dir=LOGS, stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])

    assert result["server"] == "gunicorn"
    assert (result["prs"], result["deliveries_accepted"]) == (6, 6)
    assert (result["check_runs"], result["duplicate_check_runs"], result["lost"]) == (6, 0, 0)
    assert result["p95_s"] >= result["p50_s"] > 0
