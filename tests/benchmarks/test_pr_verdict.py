"""bench_pr_verdict: which pull requests it opens from a real clone, and the whole run against
gunicorn, a worker cluster and the fake GitHub on loopback."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.pr_verdict import DUPLICATE_BASE, Head, duplicates_named, heads_from_history, task_breakdown

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


def test_a_planted_duplicate_counts_as_named_only_when_both_check_runs_call_the_other_the_same_change():
    heads = [Head(1, "a" * 40, "b" * 40, "One", "ann"), Head(2, "c" * 40, "b" * 40, "Two", "bob"),
             Head(DUPLICATE_BASE + 1, "a" * 40, "b" * 40, "One", "someone-else", same_as=1),
             Head(DUPLICATE_BASE + 2, "c" * 40, "b" * 40, "Two", "someone-else", same_as=2)]
    summaries = {
        1: f"- The same change as [#{DUPLICATE_BASE + 1} One](https://github.com/o/r/pull/{DUPLICATE_BASE + 1})",
        DUPLICATE_BASE + 1: "- The same change as [#1 One](https://github.com/o/r/pull/1), 100 % alike.",
        2: "**Duplicate and competing pull requests**: none found.",
        DUPLICATE_BASE + 2: "- The same change as #2 Two, 100 % alike.",
    }

    assert duplicates_named(heads, summaries) == {"later": 2, "earlier": 1, "both": 1}
    summaries[2] = f"- Overlaps with [#{DUPLICATE_BASE + 2} Two](https://github.com/o/r/pull/{DUPLICATE_BASE + 2})"
    assert duplicates_named(heads, summaries)["both"] == 1  # overlapping is not the same change


def test_the_breakdown_says_where_the_workers_time_went_per_kind_of_task(tmp_path):
    lines = [
        {"func": "delivery_process_task", "queued": 100.0, "began": 100.5, "ended": 100.6, "cpu_s": 0.02},
        {"func": "pull_request_head_task", "queued": 100.6, "began": 101.6, "ended": 102.0, "cpu_s": 0.2},
        {"func": "pull_request_head_task", "queued": 100.6, "began": 102.0, "ended": 102.6, "cpu_s": 0.3},
        {"func": "pull_request_head_task", "queued": 90.0, "began": 90.0, "ended": 95.0, "cpu_s": 4.0},  # warm-up
    ]
    path = tmp_path / "tasks.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))

    breakdown = task_breakdown(path, since=99.0, prs=2)

    assert (breakdown["tasks_per_pr"], breakdown["worker_cpu_ms_per_pr"], breakdown["worker_busy_s"]) == (1.5, 260.0,
                                                                                                           1.1)
    head = breakdown["by_task"]["pull_request_head_task"]
    assert (head["tasks"], head["wait_s_mean"], head["run_s_mean"], head["cpu_ms_mean"]) == (2, 1.2, 0.5, 250.0)


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
    assert (result["duplicates_planted"], result["duplicates_named"]) == (1, 1)
    assert result["breakdown"]["by_task"]["pull_request_head_task"]["tasks"] == 6
    assert result["p95_s"] >= result["p50_s"] > 0
