from datetime import UTC, datetime, timedelta

from sprints.core import risks as r

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _snapshot(**overrides) -> r.MilestoneSnapshot:
    values = {
        "as_of": NOW,
        "due": NOW + timedelta(days=14),
        "start": NOW - timedelta(days=14),
        "issues": tuple(r.IssueSnapshot(n, "open", ("alice",), NOW - timedelta(days=20)) for n in range(1, 6)),
        "recent_daily_throughput": (1.0,) * 14,
        "baseline_daily_throughput": (1.0,) * 42,
    }
    return r.MilestoneSnapshot(**(values | overrides))


def _types(snapshot: r.MilestoneSnapshot) -> set[str]:
    return {risk.risk_type for risk in r.assess_risks(snapshot)}


def test_a_healthy_milestone_has_no_risks():
    assert r.assess_risks(_snapshot()) == []


def test_it_flags_open_work_waiting_on_open_blockers_outside_the_milestone():
    deps = (r.DependencySnapshot(2, 99, depends_on_open=True, depends_on_in_milestone=False),)
    [risk] = r.dependency_blockers(_snapshot(dependencies=deps))
    assert risk.affected_issues == [2] and risk.probability == 0.9 and risk.impact_days >= 1


def test_it_flags_a_significant_drop_in_throughput():
    [risk] = r.velocity_decline(_snapshot(recent_daily_throughput=(0.0,) * 10 + (1.0,) * 4))
    assert risk.probability > 0.95 and risk.impact_days > 5 and risk.severity in {"high", "critical"}


def test_it_ignores_a_small_dip_in_throughput():
    assert r.velocity_decline(_snapshot(recent_daily_throughput=(1.0,) * 12 + (0.0,) * 2)) == []


def test_it_flags_scope_added_after_the_start():
    added = tuple(r.IssueSnapshot(n, "open", (), NOW - timedelta(days=2)) for n in range(10, 13))
    snapshot = _snapshot(issues=_snapshot().issues + added)
    [risk] = r.scope_creep(snapshot)
    assert risk.affected_issues == [10, 11, 12] and risk.evidence["initial"] == 5


def test_it_flags_stale_prs_failing_ci_risky_changes_and_missing_reviews():
    old = NOW - timedelta(days=10)
    prs = (
        r.PullRequestSnapshot(20, "open", old, old),
        r.PullRequestSnapshot(21, "open", NOW - timedelta(days=1), NOW, failing_checks=("tests",)),
        r.PullRequestSnapshot(22, "open", NOW - timedelta(days=1), NOW, risk_score=0.85, first_review_at=NOW),
        r.PullRequestSnapshot(23, "open", old, old, draft=True),
        r.PullRequestSnapshot(24, "merged", old, old),
    )
    found = {risk.risk_type: risk for risk in r.assess_risks(_snapshot(pull_requests=prs))}
    assert found[r.STALE_PR].affected_issues == [20]
    assert found[r.FAILING_CI].evidence["failing_checks"] == {21: ["tests"]}
    assert found[r.HIGH_RISK_CHANGES].affected_issues == [22]
    assert found[r.REVIEW_BOTTLENECK].affected_issues == [20]


def test_it_flags_unassigned_work():
    issues = (*(r.IssueSnapshot(n, "open") for n in range(1, 4)), r.IssueSnapshot(4, "open", ("bob",)))
    [risk] = r.unassigned_work(_snapshot(issues=issues))
    assert risk.affected_issues == [1, 2, 3] and risk.probability == 0.75


def test_severity_grows_with_expected_delay_relative_to_time_left():
    assert r.severity_for(0.9, 10, days_left=10) == "critical"
    assert r.severity_for(0.5, 2, days_left=30) == "low"


def test_health_falls_with_risks():
    risk = r.Risk(r.FAILING_CI, "critical", 1.0, 5, "t", "d")
    assert r.health_score(0.9, [risk]) < r.health_score(0.9, []) == 90.0
