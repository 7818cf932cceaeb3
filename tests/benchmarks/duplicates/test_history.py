import os
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.duplicates.evaluate import queries_of, report, run_queries, same_file_false_positive_rate
from benchmarks.duplicates.history import HistoryError, read_history
from benchmarks.duplicates.replay import replay_load, replay_search

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(repo: Path, *args: str, when: int = 0) -> str:
    env = {
        **_ENV,
        "GIT_AUTHOR_DATE": f"{1_700_000_000 + when} +0000",
        "GIT_COMMITTER_DATE": f"{1_700_000_000 + when} +0000",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def _commit(repo: Path, path: str, text: str, message: str, when: int) -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    _git(repo, "add", path)
    _git(repo, "commit", "-q", "-m", message, when=when)
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    body = "def area(w, h):\n    return w * h\n\n\ndef unit():\n    return 'm'\n"
    _commit(tmp_path, "src/geo.py", body, "Add geometry", when=0)
    _git(tmp_path, "branch", "release")
    fix = _commit(
        tmp_path,
        "src/geo.py",
        body.replace("return w * h", "if w < 0 or h < 0:\n        raise ValueError('negative')\n    return w * h"),
        "Reject negative sizes (#12)",
        when=10,
    )
    _commit(tmp_path, "src/text.py", "def shout(s):\n    return s.upper() + '!'\n", "Add shout", when=20)
    with (tmp_path / "src/geo.py").open("a") as stream:
        stream.write("\n\ndef perimeter(w, h):\n    return 2 * (w + h)\n")
    _commit(tmp_path, "src/geo.py", (tmp_path / "src/geo.py").read_text(), "Add perimeter", when=25)
    _git(tmp_path, "checkout", "-q", "release")
    _git(tmp_path, "cherry-pick", "-x", fix, when=30)
    return tmp_path


def test_it_replays_a_cherry_pick_as_an_identical_duplicate(repo):
    items = read_history(repo)
    assert [item.title for item in items][-1] == "Reject negative sizes (#12)" and len(items) == 5
    queries = queries_of(items)
    assert len(queries) == 1 and queries[0].tier == "identical"
    queries, *verdicts = run_queries(items, queries)
    numbers = report(queries, *verdicts)
    assert numbers["all"]["p_at_1"] == 1.0 and numbers["same_change_precision"] == 1.0


def test_it_finds_no_unrelated_same_file_pairs_to_flag(repo):
    rate, checked, _ = same_file_false_positive_rate(read_history(repo), sample=10)
    # "Add perimeter" against the first commit, the fix and its cherry-pick; parent/child and
    # cherry-pick pairs are linked, not unrelated
    assert rate == 0.0 and checked == 3


def test_it_explains_a_path_that_is_not_a_repository(tmp_path):
    with pytest.raises(HistoryError):
        read_history(tmp_path / "missing")


def test_it_replays_the_history_through_the_postgres_index_too(repo, db):
    items = read_history(repo)
    search = replay_search(dict(enumerate(replay_load(items=items, name="tiny"))))
    queries, *verdicts = run_queries(items, queries_of(items), search=search)
    assert queries[0].rank == 1 and report(queries, *verdicts)["same_change_precision"] == 1.0
    assert replay_load(items=items, name="tiny") == replay_load(items=items, name="tiny")  # loaded once
