from analysis.core.reasons import factor_sentence, reasons_sentence, standing_sentence, top_factors


def features(**values: float) -> dict[str, float]:
    base = dict.fromkeys(("la", "ld", "lt", "nf", "nd", "ns", "entropy", "fix", "ndev", "age", "nuc", "exp", "rexp",
                          "sexp"), 0.0)
    return base | values


def test_sizes_are_said_in_the_repositorys_terms():
    assert factor_sentence("la", features(la=538, la_pct=0.975)) == "adds 538 lines — more than 97 % of commits here"
    assert factor_sentence("la", features(la=2, la_pct=0.1)) == "adds 2 lines — fewer than 90 % of commits here"
    assert factor_sentence("nf", features(nf=1, nf_pct=0.5)) == (
        "touches 1 file — about as many as a typical commit here")


def test_ownership_and_experience_read_like_a_reviewer_would_say_them():
    assert factor_sentence("ndev", features(ndev=101)) == "touches files changed by 101 developers"
    assert factor_sentence("sexp", features(sexp=0, exp=12)) == "first change to this subsystem by its author"
    assert factor_sentence("exp", features(exp=0)) == "first commit here by its author"
    assert factor_sentence("fix", features(fix=1)) == "fixes a bug"


def test_the_top_factors_are_the_largest_pushes_either_way_each_with_its_sentence():
    factors = top_factors({"la": 0.9, "exp": -1.2, "fix": 0.1, "nf": 0.3}, features(la=538, exp=40), top=3)

    assert [factor["feature"] for factor in factors] == ["exp", "la", "nf"]
    assert [factor["raises"] for factor in factors] == [False, True, True]
    assert factors[1]["value"] == 538 and factors[1]["reason"].startswith("adds 538 lines")


def test_one_line_gives_the_standing_then_what_raised_the_risk():
    factors = top_factors({"la": 0.9, "exp": -1.2, "ndev": 0.4}, features(la=538, la_pct=0.98, ndev=101))

    assert reasons_sentence(factors, percentile=0.964) == (
        "Riskier than 96 % of this repository's commits: adds 538 lines — more than 98 % of commits here; "
        "touches files changed by 101 developers")
    assert standing_sentence(None).startswith("too few commits")


def test_experience_is_compared_with_the_authors_of_other_commits():
    assert factor_sentence("exp", features(exp=35, exp_pct=0.995)) == (
        "its author made 35 earlier commits here — more than the authors of 99 % of commits here")
    assert factor_sentence("sexp", features(sexp=3, sexp_pct=0.5)) == (
        "its author made 3 earlier changes to this subsystem — about as much as the authors of typical commits here")
