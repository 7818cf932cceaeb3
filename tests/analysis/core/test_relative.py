from analysis.core.git_history import commits_from_clone
from analysis.core.relative import NO_HISTORY, RELATIVE_NAMES, RelativeState, features_with_percentiles_in_time_order
from tests.analysis.gitrepo import GitRepo, lines


def row(**values: float) -> dict[str, float]:
    base = dict.fromkeys(("la", "ld", "lt", "nf", "nd", "ndev", "age", "nuc", "exp", "rexp", "sexp"), 0.0)
    return base | values


def test_the_first_commit_has_nothing_to_compare_with():
    assert set(RelativeState().percentiles(row(la=500)).values()) == {NO_HISTORY}


def test_a_percentile_is_the_share_of_earlier_commits_with_a_smaller_value_ties_counted_half():
    state = RelativeState()
    for la in (1, 2, 3, 3):
        state.observe(row(la=la))

    assert state.percentiles(row(la=3))["la_pct"] == (2 + 0.5 * 2) / 4
    assert state.percentiles(row(la=10))["la_pct"] == 1.0
    assert state.percentiles(row(la=0))["la_pct"] == 0.0


def test_large_values_are_ranked_to_within_a_few_percent():
    state = RelativeState()
    for la in range(100, 10_100, 10):
        state.observe(row(la=la))

    exact = sum(1 for la in range(100, 10_100, 10) if la < 5_000) / 1_000
    assert abs(state.percentiles(row(la=5_000))["la_pct"] - exact) < 0.03


def test_every_commit_gets_kameis_features_and_percentiles_among_the_commits_before_it(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("small", files={"a.py": lines("x = 1")})
    repo.commit("big", files={"b.py": lines(*[f"y{i} = {i}" for i in range(200)])})
    repo.commit("small again", files={"c.py": lines("z = 1")})

    rows = [features for _, features in features_with_percentiles_in_time_order(
        commits_from_clone(repo.path), is_fix=lambda commit: False)]

    assert all(set(RELATIVE_NAMES) <= set(features) for features in rows)
    assert [features["la_pct"] for features in rows] == [NO_HISTORY, 1.0, 0.25]
