from datetime import UTC, datetime, timedelta

from triage.failures.core.actions import Action, recommend_action
from triage.failures.core.attribution import (
    AttemptOutcome,
    Attribution,
    AttributionFacts,
    FailureSighting,
    UnstableIssue,
    attribute_failure,
)
from triage.failures.core.fingerprint import failure_fingerprint
from triage.failures.core.rules import Category

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FINGERPRINT = failure_fingerprint(["tests/test_app.py:12: AssertionError"])


def _facts(**overrides) -> AttributionFacts:
    values = dict(
        sha="a" * 40, job_name="tests (3.12)", fingerprint=FINGERPRINT, fingerprint_confidence=0.9, failed_at=NOW
    )
    values.update(overrides)
    return AttributionFacts(**values)


def _sighting(sha: str, *, days: int = 1, on_base: bool = False, fingerprint: str = FINGERPRINT) -> FailureSighting:
    return FailureSighting(sha=sha, fingerprint=fingerprint, seen_at=NOW - timedelta(days=days), on_base=on_base)


def test_it_calls_a_failure_new_when_nothing_else_explains_it():
    verdict = attribute_failure(_facts())
    assert verdict.attribution is Attribution.NEW
    assert verdict.evidence


def test_it_calls_a_failure_flaky_when_the_same_sha_passed_on_a_retry():
    verdict = attribute_failure(_facts(other_attempts=[AttemptOutcome(2, "success", "https://ci/2")]))
    assert verdict.attribution is Attribution.FLAKY
    assert verdict.evidence[0].url == "https://ci/2"


def test_a_failed_retry_does_not_make_it_flaky():
    verdict = attribute_failure(_facts(other_attempts=[AttemptOutcome(2, "failure")]))
    assert verdict.attribution is Attribution.NEW


def test_one_other_commit_with_the_same_failure_is_not_enough_for_flaky():
    verdict = attribute_failure(_facts(sightings=[_sighting("b" * 40)]))
    assert verdict.attribution is Attribution.NEW


def test_the_same_failure_on_two_unrelated_commits_is_flaky():
    verdict = attribute_failure(_facts(sightings=[_sighting("b" * 40), _sighting("c" * 40)]))
    assert verdict.attribution is Attribution.FLAKY


def test_old_sightings_outside_the_window_do_not_count():
    verdict = attribute_failure(_facts(sightings=[_sighting("b" * 40, days=30), _sighting("c" * 40, days=40)]))
    assert verdict.attribution is Attribution.NEW


def test_a_vague_root_cause_is_never_matched_across_commits():
    facts = _facts(fingerprint_confidence=0.2, sightings=[_sighting("b" * 40), _sighting("c" * 40)])
    assert attribute_failure(facts).attribution is Attribution.NEW


def test_a_root_cause_below_the_measured_confidence_is_not_matched_across_commits():
    """0.75 is where LogChunks' real failures stop being called FLAKY on other failures' sightings."""
    sightings = [_sighting("b" * 40), _sighting("c" * 40)]
    assert attribute_failure(_facts(fingerprint_confidence=0.7, sightings=sightings)).attribution is Attribution.NEW
    assert attribute_failure(_facts(fingerprint_confidence=0.75, sightings=sightings)).attribution is (
        Attribution.FLAKY
    )
    base = [_sighting("d" * 40, on_base=True)]
    assert attribute_failure(_facts(fingerprint_confidence=0.7, sightings=base)).attribution is Attribution.NEW


def test_the_same_failure_on_the_base_branch_is_broken_trunk():
    verdict = attribute_failure(_facts(sightings=[_sighting("d" * 40, on_base=True)]))
    assert verdict.attribution is Attribution.BROKEN_TRUNK


def test_an_open_unstable_issue_naming_the_job_makes_it_unstable():
    issue = UnstableIssue(number=42, title="UNSTABLE tests (3.12)", url="https://github.com/o/r/issues/42")
    verdict = attribute_failure(_facts(unstable_issues=[issue]))
    assert verdict.attribution is Attribution.UNSTABLE
    assert "#42" in verdict.evidence[0].detail


def test_rerun_is_only_recommended_for_flaky_or_infrastructure():
    assert recommend_action(category=Category.TEST_FAILURE, attribution=Attribution.FLAKY).rerun_allowed
    assert recommend_action(category=Category.INFRASTRUCTURE, attribution=Attribution.NEW).rerun_allowed
    new_test_failure = recommend_action(category=Category.TEST_FAILURE, attribution=Attribution.NEW)
    assert not new_test_failure.rerun_allowed
    assert new_test_failure.action is Action.NOTIFY_AUTHOR
    assert recommend_action(category=Category.BUILD_COMPILE, attribution=Attribution.BROKEN_TRUNK).action is (
        Action.WAIT_FOR_TRUNK_FIX
    )


def test_fingerprints_match_across_runs_despite_volatile_details():
    one = failure_fingerprint(["/home/runner/work/app/x.py:12: timeout after 3.2s at 0x7f00aa"])
    two = failure_fingerprint(["/home/travis/build/app/x.py:80: timeout after 10.0s at 0x55bb01"])
    assert one == two
    assert one != failure_fingerprint(["x.py:12: AssertionError"])
    assert failure_fingerprint(["", "  "]) == ""
