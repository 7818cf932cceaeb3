"""Bad input, tried systematically: a GH Archive dump is a file from elsewhere. Whatever a
line holds, reading yields events or raises ArchiveFormatError, and an event of an
unexpected shape is rejected, named and counted, without stopping the import."""

import gzip
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.models import ArchiveEvent, Repository
from ingestion.services.gharchive import ArchiveFormatError, archive_events, archive_import
from tests.ingestion.conftest import example
from tests.ingestion.strategies import mutated
from tests.ingestion.test_gharchive import REPO, event, push_payload

lines = st.one_of(
    st.binary(max_size=100),
    st.sampled_from([b"[" * 100_000, b"{}", b"[]", b'{"id": "1"}', b'{"id": [1], "type": "PushEvent"}',
                     b'{"id": "x", "type": "PushEvent"}', b'{"id": "1", "type": {}}', b"\xff\xfe", b"\x00",
                     b'{"id": "1", "type": "PushEvent", "created_at": "yesterday"}', b"NaN"]),
)


@settings(max_examples=80, deadline=None)
@given(content=st.lists(lines, max_size=5).map(b"\n".join), compressed=st.booleans())
def test_any_dump_reads_into_events_or_raises_archive_format_error(content, compressed):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("dump.json.gz" if compressed else "dump.json")
        path.write_bytes(gzip.compress(content) if compressed else content)
        try:
            for item in archive_events(path):
                assert isinstance(item, dict) and isinstance(item["type"], str)
                assert int(item["id"]) >= 0
        except ArchiveFormatError as error:
            assert str(error).startswith(str(path))


@pytest.fixture
def events(examples) -> list[dict]:
    return [
        event(1, "PullRequestEvent", example(examples, "pull_request", "opened")),
        event(2, "IssuesEvent", example(examples, "issues", "edited")),
        event(3, "IssueCommentEvent", example(examples, "issue_comment", "created")),
        event(4, "PullRequestReviewEvent", example(examples, "pull_request_review", "submitted")),
        event(5, "PullRequestReviewCommentEvent", example(examples, "pull_request_review_comment", "created")),
        event(6, "PushEvent", push_payload(examples)),
    ]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_events_are_imported_or_rejected_by_name(data, events, acme):
    Repository.objects.get_or_create(organization=acme, owner="Codertocat", name="Hello-World",
                                     full_name="Codertocat/Hello-World")
    original = data.draw(st.sampled_from(events))
    broken = data.draw(mutated(original))
    broken["id"] = str(data.draw(st.integers(min_value=10, max_value=2**62)))
    broken["type"] = original["type"]
    broken["repo"] = REPO
    stats = archive_import([broken], everything=True)
    assert stats.events == 1
    if stats.rejected:
        assert broken["id"] in stats.errors[0]
        assert not ArchiveEvent.objects.filter(github_id=int(broken["id"])).exists()
    json.dumps(stats.as_dict())


@pytest.mark.django_db
def test_a_malformed_event_is_skipped_and_the_rest_of_the_dump_is_imported(events, acme):
    Repository.objects.create(organization=acme, owner="Codertocat", name="Hello-World",
                              full_name="Codertocat/Hello-World")
    pull_request = {**events[0]["payload"]["pull_request"], "number": "not a number"}
    broken = {**events[0], "id": "99", "payload": {**events[0]["payload"], "pull_request": pull_request}}

    stats = archive_import([broken, *events[1:]], everything=True)

    assert stats.rejected == 1 and "event 99" in stats.errors[0]
    assert not ArchiveEvent.objects.filter(github_id=99).exists()
    assert ArchiveEvent.objects.filter(github_id__in=[2, 3, 4, 5, 6]).count() == 5
