import math

import pytest

from analysis.core.kamei import FEATURE_NAMES, features_in_time_order
from analysis.core.records import CommitRecord, FileChange

DAY = 86_400


def commit(sha: str, author: str, day: int, *changes: tuple[str, int, int], message: str = "change") -> CommitRecord:
    return CommitRecord(sha=sha, author=author, timestamp=day * DAY, message=message,
                        files=tuple(FileChange(path=p, additions=a, deletions=d) for p, a, d in changes))


def features_of(commits, fixes=()):
    return {c.sha: f for c, f in features_in_time_order(commits, is_fix=lambda c: c.sha in fixes)}


def test_it_computes_all_fourteen_features():
    result = features_of([commit("a", "alice", 0, ("src/x.py", 10, 0))])

    assert tuple(result["a"]) == FEATURE_NAMES


def test_it_measures_size_and_spread_of_a_change():
    change = commit("a", "alice", 0, ("src/x.py", 10, 0), ("lib/y/z.py", 5, 5), ("lib/y/w.py", 0, 0))

    result = features_of([change])["a"]

    assert (result["ns"], result["nd"], result["nf"]) == (2, 2, 3)
    assert (result["la"], result["ld"]) == (15, 5)
    assert result["entropy"] == pytest.approx(1.0 / math.log2(3))


def test_it_tracks_history_without_looking_ahead():
    commits = [
        commit("a", "alice", 0, ("src/x.py", 100, 0)),
        commit("b", "bob", 10, ("src/x.py", 5, 20)),
        commit("c", "alice", 20, ("src/x.py", 1, 1), ("src/new.py", 3, 0)),
    ]
    result = features_of(commits, fixes={"c"})

    assert result["a"]["lt"] == 0 and result["a"]["nuc"] == 0 and result["a"]["exp"] == 0
    assert result["b"]["lt"] == 100 and result["b"]["ndev"] == 1 and result["b"]["age"] == 10
    assert result["c"]["lt"] == 85
    assert (result["c"]["ndev"], result["c"]["nuc"], result["c"]["exp"]) == (2, 2, 1)
    assert result["c"]["sexp"] == 1 and result["c"]["fix"] == 1
    assert result["c"]["rexp"] == pytest.approx(1 / (1 + 20 / 365.25))


def test_a_later_commit_does_not_change_earlier_features():
    base = [commit("a", "alice", 0, ("src/x.py", 10, 0)), commit("b", "bob", 1, ("src/x.py", 2, 2))]
    alone = features_of(base)
    extended = features_of([*base, commit("c", "bob", 2, ("src/x.py", 50, 0))])

    assert alone["b"] == extended["b"]
