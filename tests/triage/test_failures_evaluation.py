"""`ci_attribution_eval` counts the worst error: a real failure (labelled NEW) called FLAKY."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from tests.triage.failures_fixtures import COMPILE_ERROR, PYTEST_FAILURE, make_check_run, make_pull_request
from tests.triage.failures_fixtures import FAILED_AT as FAILED_AT_TIME
from triage.failures.services import check_run_analyse

FAILED_AT = "2026-07-30T11:00:00+00:00"


def write_case(root: Path, name: str, log: str, label: str, **facts) -> None:
    folder = root / name
    folder.mkdir()
    (folder / "failed.log").write_text(log)
    (folder / "facts.json").write_text(json.dumps({"sha": "a" * 40, "job_name": "test", "failed_at": FAILED_AT,
                                                   **facts}))
    (folder / "label.json").write_text(json.dumps({"attribution": label}))


def evaluate(root: Path) -> dict:
    out = StringIO()
    call_command("ci_attribution_eval", "--cases", str(root), stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_it_reports_no_real_failure_called_flaky_when_evidence_is_specific(tmp_path):
    write_case(tmp_path, "retry-passed", PYTEST_FAILURE, "flaky",
               other_attempts=[{"attempt": 2, "conclusion": "success"}])
    write_case(tmp_path, "different-failures-elsewhere", COMPILE_ERROR, "new",
               sightings=[{"sha": "c" * 40, "seen_at": FAILED_AT, "same_failure": False},
                          {"sha": "d" * 40, "seen_at": FAILED_AT, "same_failure": False}])
    write_case(tmp_path, "retried-and-failed-again", COMPILE_ERROR, "new",
               other_attempts=[{"attempt": 2, "conclusion": "failure"}])

    result = evaluate(tmp_path)

    assert result["n"] == 3 and result["accuracy"] == 1.0
    assert result["real_failures"] == 2 and result["real_called_flaky"] == 0


def test_it_names_the_cases_where_a_real_failure_was_called_flaky(tmp_path):
    # Labelled NEW by a maintainer, but the same failure did show on two unrelated commits:
    # the rules say FLAKY, and the measure must expose that disagreement.
    write_case(tmp_path, "real-bug-also-elsewhere", PYTEST_FAILURE, "new",
               sightings=[{"sha": "c" * 40, "seen_at": FAILED_AT, "same_failure": True},
                          {"sha": "d" * 40, "seen_at": FAILED_AT, "same_failure": True}])

    result = evaluate(tmp_path)

    assert result["real_called_flaky"] == 1 and result["real_called_flaky_rate"] == 1.0
    assert result["real_called_flaky_cases"] == ["real-bug-also-elsewhere"]
    assert result["confusion"] == {"new->flaky": 1}


def test_it_flags_stored_flaky_verdicts_that_later_reruns_contradict(fake_actions, rocket):
    # Attempt 1 failed, the same fingerprint on two unrelated commits made it FLAKY; then
    # attempt 2 of the same commit failed again and nothing ever passed: likely real.
    for number in (10, 11):
        other = make_pull_request(rocket, number)
        check_run_analyse(failing(fake_actions, rocket, sha=other.head_sha, pull_request=other).pk)
    pull_request = make_pull_request(rocket, 1)
    first = failing(fake_actions, rocket, sha=pull_request.head_sha, pull_request=pull_request)
    flaky = check_run_analyse(first.pk)
    make_check_run(rocket, sha=pull_request.head_sha, pull_request=pull_request, attempt=2,
                   at=FAILED_AT_TIME + timedelta(minutes=30))

    out = StringIO()
    call_command("ci_attribution_eval", "--stored", "--repository", str(rocket.pk), stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])

    assert flaky.attribution == "flaky"
    assert (result["flaky_verdicts"], result["contradicted"]) == (1, 1)
    assert result["contradicted_analyses"] == [flaky.pk]


def failing(fake, repository, **kwargs):
    check_run = make_check_run(repository, at=FAILED_AT_TIME, **kwargs)
    fake.job_logs[check_run.github_id] = PYTEST_FAILURE
    return check_run
