"""`ci_attribution_eval` counts the worst error: a real failure (labelled NEW) called FLAKY."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from benchmarks.failures.fingerprints import evaluate_fingerprints, fingerprint_logs
from benchmarks.failures.root_causes import LabelledLog
from tests.triage.failures.fixtures import COMPILE_ERROR, PYTEST_FAILURE, make_check_run, make_pull_request
from tests.triage.failures.fixtures import FAILED_AT as FAILED_AT_TIME
from triage.failures.services.analyses import check_run_analyse

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


# --- fingerprints against labelled logs -------------------------------------------------------

# A Travis log of a pytest run: the same test failing the same way, with other counts and lines.
TIMEOUT_TEST = """\
$ python -m pytest tests
============================= test session starts ==============================
collected {collected} items

tests/test_rules.py ....F....
=================================== FAILURES ===================================
____________________________ test_push_with_timeout ____________________________

    def test_push_with_timeout():
>       assert push("origin", timeout={timeout}) == 0
E       AssertionError: assert 124 == 0
tests/test_rules.py:{line}: AssertionError
===================== 1 failed, {passed} passed in {seconds} seconds =====================
The command "python -m pytest tests" exited with 1.
"""

# The README test of nvbn/thefuck: which rule is missing from the README is the failure,
# but the root cause found is the test's header alone, the same for every missing rule.
README_TEST = """\
$ python -m pytest tests
============================= test session starts ==============================
collected 300 items

tests/test_readme.py F
=================================== FAILURES ===================================
_________________________________ test_readme __________________________________

source_root = PosixPath('/home/travis/build/nvbn/thefuck')

    def test_readme(source_root):
        with source_root.joinpath('README.md').open() as f:
            readme = f.read()
        for rule in source_root.joinpath('thefuck', 'rules').glob('*.py'):
>           assert rule.stem in readme, 'Missing rule "{{}}" in README.md'.format(rule.stem)
E           AssertionError: Missing rule "{rule}" in README.md
E           assert '{rule}' in '# The Fuck'

tests/test_readme.py:9: AssertionError
===================== 1 failed, 299 passed in 3.21 seconds =====================
The command "python -m pytest tests" exited with 1.
"""


def labelled(name: str, text: str, first_line: str, lines: int = 2) -> LabelledLog:
    """The log `name` of repository nvbn/thefuck, labelled from `first_line` on."""
    start = text.split("\n").index(first_line) + 1
    return LabelledLog(name=f"nvbn@thefuck/failed/{name}.log", group="nvbn@thefuck", text=text,
                       labelled=frozenset(range(start, start + lines)))


def timeout_failure(name: str, **numbers) -> LabelledLog:
    return labelled(name, TIMEOUT_TEST.format(**numbers), "E       AssertionError: assert 124 == 0")


def missing_rule(name: str, rule: str) -> LabelledLog:
    error = f'E           AssertionError: Missing rule "{rule}" in README.md'
    return labelled(name, README_TEST.format(rule=rule), error)


def test_the_same_failure_with_other_numbers_has_the_same_fingerprint_and_is_a_true_pair():
    logs = fingerprint_logs([timeout_failure("1", collected=212, timeout=3, line=48, passed=211, seconds="12.31"),
                             timeout_failure("2", collected=215, timeout=5, line=52, passed=214, seconds="9.87")])

    result = evaluate_fingerprints(logs)

    assert logs[0].fingerprint == logs[1].fingerprint != ""
    assert (result["pairs"], result["same_failure_pairs"], result["true_same_pairs"]) == (1, 1, 1)
    assert result["fingerprint_precision"] == result["fingerprint_recall"] == 1.0
    assert result["false_same_pairs"] == 0 and result["real_failure_called_flaky_rate"] == 0.0


def test_two_different_failures_with_the_same_fingerprint_are_a_false_pair():
    logs = fingerprint_logs([missing_rule("1", "git_push_force"), missing_rule("2", "docker_not_command")])

    result = evaluate_fingerprints(logs)

    assert logs[0].fingerprint == logs[1].fingerprint
    assert (result["same_failure_pairs"], result["false_same_pairs"]) == (0, 1)
    assert result["fingerprint_precision"] == 0.0 and result["fingerprint_recall"] is None
    assert result["real_failure_called_flaky_rate"] == 1.0
    # One sighting is not enough for the attribution to call a failure FLAKY.
    assert result["gated"]["real_failure_called_flaky"] == 0


def test_a_real_failure_is_called_flaky_when_another_failure_was_seen_on_two_commits():
    # A new rule lacks its README entry; another rule's missing entry failed two other commits.
    new = missing_rule("3", "git_push_force")
    elsewhere = [missing_rule("1", "docker_not_command"), missing_rule("2", "docker_not_command")]

    result = evaluate_fingerprints(fingerprint_logs([new, *elsewhere]))

    assert new.name in result["gated"]["real_failure_called_flaky_logs"]
    assert result["gated"]["real_failure_called_flaky_rate"] > 0
    # Each of the other two has one true sighting, not enough, and is FLAKY only with the false one.
    assert result["gated"]["real_failure_called_flaky"] == 3
    assert result["real_failure_called_flaky_rate"] == 1.0


def test_the_same_failure_on_two_other_commits_is_not_counted_as_a_false_flaky():
    logs = fingerprint_logs([timeout_failure(str(n), collected=200 + n, timeout=n, line=40 + n, passed=199 + n,
                                             seconds=f"{n}.5") for n in (1, 2, 3)])

    result = evaluate_fingerprints(logs)

    assert result["true_same_pairs"] == 3
    assert result["gated"]["real_failure_called_flaky"] == 0


def test_logs_are_only_compared_within_their_repository_and_a_log_without_root_cause_has_no_fingerprint():
    other_repository = LabelledLog(name="x@y/failed/1.log", group="x@y",
                                   text=README_TEST.format(rule="git_push_force"), labelled=frozenset({14}))
    silent = LabelledLog(name="x@y/failed/2.log", group="x@y", text="", labelled=frozenset({1}))

    result = evaluate_fingerprints(fingerprint_logs([missing_rule("1", "docker_not_command"), other_repository,
                                                     silent]))

    assert (result["logs"], result["groups"], result["pairs"]) == (3, 2, 1)
    assert result["false_same_pairs"] == 0 and result["empty_fingerprints"] == 1


def write_logchunks(root: Path, logs: dict[str, tuple[str, str]]) -> tuple[Path, Path]:
    """A LogChunks folder (labels/<language>/<repository>.xml) and the logs it labels."""
    labels, logs_dir = root / "logchunks" / "labels" / "Python", root / "logs"
    labels.mkdir(parents=True)
    examples = []
    for name, (text, chunk) in logs.items():
        (logs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (logs_dir / name).write_text(text)
        examples.append(f"<ExampleDataOfString><InputPath>{name}</InputPath><Output>{chunk}</Output>"
                        "</ExampleDataOfString>")
    (labels / "nvbn@thefuck.xml").write_text(f"<Examples>{''.join(examples)}</Examples>")
    return root / "logchunks", logs_dir


def test_the_command_measures_fingerprints_on_logchunks(tmp_path):
    name = "Python/nvbn@thefuck/failed/{}.log"
    folder, logs_dir = write_logchunks(tmp_path, {
        name.format(n): (README_TEST.format(rule=rule), f"Missing rule &quot;{rule}&quot; in README.md")
        for n, rule in ((1, "docker_not_command"), (2, "docker_not_command"), (3, "git_push_force"))
    })

    out = StringIO()
    call_command("ci_attribution_eval", "--logchunks", str(folder), "--logs-dir", str(logs_dir), stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])

    assert (result["kind"], result["logs"], result["pairs"], result["unmatched_labels"]) == ("logchunks", 3, 3, 0)
    assert (result["true_same_pairs"], result["false_same_pairs"]) == (1, 2)
    assert result["gated"]["real_failure_called_flaky_logs"] == [name.format(n) for n in (1, 2, 3)]
