"""Bad input, tried systematically: every normaliser, given GitHub's own example with parts
replaced by any JSON value or removed, returns fields or raises PayloadError, the
documented error, never an AttributeError or TypeError from deep inside."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.core import normalize
from ingestion.core.normalize import PayloadError
from tests.fakes.github_examples import ExamplesMissing, example
from tests.ingestion.strategies import json_values, mutated

NORMALISERS = {
    "pull-request": normalize.pull_request_fields,
    "issue": normalize.issue_fields,
    "milestone": normalize.milestone_fields,
    "check-run": normalize.check_run_fields,
    "check-suite": normalize.check_suite_fields,
    "workflow-run": normalize.workflow_run_fields,
    "job": normalize.workflow_job_fields,
    "commit": normalize.commit_fields,
    "full-repository": normalize.repository_fields,
    "installation": normalize.installation_fields,
    "pull-request-review": normalize.review_fields,
    "issue-comment": lambda data: normalize.comment_fields(data, kind="issue"),
    "pull-request-review-comment": lambda data: normalize.comment_fields(data, kind="review"),
    "diff-entry-items": normalize.pull_request_file_fields,
}
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _original(name: str) -> dict:
    try:
        value = example(name)
    except ExamplesMissing as missing:
        pytest.skip(str(missing))
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_github_examples_normalise_with_ints_where_counts_are(name):
    fields = NORMALISERS[name](_original(name))
    for key in ("additions", "deletions", "comments_count", "open_issues", "run_number", "annotations_count"):
        if key in fields:
            assert type(fields[key]) is int


@pytest.mark.parametrize("name", sorted(NORMALISERS))
@fuzz
@given(data=st.data())
def test_mutated_examples_normalise_or_raise_payload_error(name, data):
    payload = data.draw(mutated(_original(name)))
    try:
        fields = NORMALISERS[name](payload)
    except PayloadError as error:
        assert str(error)
        return
    assert isinstance(fields, dict)
    assert not any("\x00" in text for text in _strings(fields))  # PostgreSQL's text and jsonb refuse NUL


def _strings(value) -> list[str]:
    """Every string in `value`, keys and nested values included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_strings(key), *_strings(item))]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def test_an_installations_texts_lose_their_nul_bytes():
    payload = {**_original("installation"), "repository_selection": "\x00all", "app_slug": "gi\x00t",
               "permissions": {"checks\x00": "wr\x00ite"}, "events": ["pu\x00sh"]}
    fields = normalize.installation_fields(payload)
    assert (fields["repository_selection"], fields["app_slug"]) == ("all", "git")
    assert (fields["permissions"], fields["events"]) == ({"checks": "write"}, ["push"])


@pytest.mark.parametrize("name", sorted(NORMALISERS))
@settings(max_examples=25, deadline=None)
@given(value=json_values)
def test_any_json_value_normalises_or_raises_payload_error(name, value):
    with contextlib.suppress(PayloadError):
        NORMALISERS[name](value)


def test_a_workflow_jobs_labels_and_steps_lose_their_nul_bytes_and_a_step_must_be_flat():
    job = _original("job")
    step = {"number": 1, "name": "Run\x00 tests", "status": "completed", "conclusion": "success",
            "started_at": None, "completed_at": None}
    fields = normalize.workflow_job_fields({**job, "labels": ["ubuntu\x00-latest"], "steps": [step]})
    assert fields["labels"] == ["ubuntu-latest"]
    assert fields["steps"] == [{**step, "name": "Run tests"}]
    with pytest.raises(PayloadError):
        normalize.workflow_job_fields({**job, "steps": [{**step, "name": {"nested": True}}]})
