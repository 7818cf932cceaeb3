"""GH Archive import from a small hourly dump built out of GitHub's real webhook example
payloads (reshaped as Events API events, the way GH Archive stores them)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingestion.models import ArchiveEvent, Comment, Commit, Issue, PullRequest, Repository, Review
from ingestion.services.gharchive import archive_events, archive_import
from tests.ingestion.conftest import example

REPO = {"id": 186853002, "name": "Codertocat/Hello-World", "url": "https://api.github.com/repos/Codertocat/Hello-World"}
OTHER = {"id": 99, "name": "someone/elsewhere", "url": "https://api.github.com/repos/someone/elsewhere"}


def event(event_id: int, kind: str, payload: dict, repo: dict = REPO) -> dict:
    payload = {key: value for key, value in payload.items() if key not in ("repository", "sender", "installation")}
    return {"id": str(event_id), "type": kind, "actor": {"id": 1, "login": "Codertocat"}, "repo": repo,
            "payload": payload, "public": True, "created_at": "2019-05-15T15:20:45Z"}


def push_payload(examples) -> dict:
    payload = next(p for p in examples["push"] if p.get("commits"))
    # The Events API lists a pushed commit as {sha, author, message, distinct, url}.
    commits = [{"sha": c["id"], "author": {"name": c["author"]["name"], "email": c["author"]["email"]},
                "message": c["message"], "distinct": c.get("distinct", True), "url": c["url"]}
               for c in payload["commits"]]
    return {"push_id": 1, "size": len(commits), "ref": payload["ref"], "head": payload["after"],
            "before": payload["before"], "commits": commits}


@pytest.fixture
def dump(tmp_path: Path, examples) -> Path:
    opened = example(examples, "pull_request", "opened")
    elsewhere = example(examples, "pull_request", "opened")
    elsewhere["pull_request"].update(id=424242, number=7)
    events = [
        event(1, "PullRequestEvent", opened),
        event(2, "IssuesEvent", example(examples, "issues", "edited")),
        event(3, "IssueCommentEvent", example(examples, "issue_comment", "created")),
        event(4, "PullRequestReviewEvent", example(examples, "pull_request_review", "submitted")),
        event(5, "PullRequestReviewCommentEvent", example(examples, "pull_request_review_comment", "created")),
        event(6, "PushEvent", push_payload(examples)),
        event(7, "WatchEvent", {"action": "started"}),
        event(8, "PullRequestEvent", elsewhere, repo=OTHER),
        # Trimmed as GitHub's Events API does since 2025: no title, no state.
        event(9, "PullRequestEvent", {"action": "opened", "number": 2,
                                      "pull_request": {"id": 5, "number": 2, "head": {}, "base": {}}}),
        event(1, "PullRequestEvent", opened),  # the same event twice in one dump
    ]
    path = tmp_path / "2019-05-15-15.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for item in events:
            out.write(json.dumps(item) + "\n")
    return path


@pytest.fixture
def tracked(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="Codertocat", name="Hello-World",
                                     full_name="Codertocat/Hello-World")


def test_it_imports_events_of_tracked_repositories(dump, tracked):
    stats = archive_import(archive_events(dump))

    assert stats.as_dict() | {"by_type": None} == {
        "events": 10, "kept": 7, "imported": 6, "duplicates": 1, "trimmed": 1, "ignored": 1, "untracked": 1,
        "rejected": 0, "refused": 0, "errors": [], "by_type": None,
    }
    tracked.refresh_from_db()
    assert tracked.github_id == REPO["id"]
    assert PullRequest.objects.filter(repository=tracked).count() == 1
    assert Issue.objects.filter(repository=tracked).exists()
    assert Comment.objects.filter(kind=Comment.Kind.REVIEW).count() == 1
    assert Comment.objects.exclude(kind=Comment.Kind.REVIEW).count() == 1
    assert Review.objects.count() == 1
    assert Commit.objects.filter(repository=tracked, source=Commit.Source.ARCHIVE).exists()
    assert not Repository.objects.filter(full_name="someone/elsewhere").exists()


def test_importing_a_dump_again_changes_nothing(dump, tracked):
    archive_import(archive_events(dump))
    counts = [model.objects.count() for model in (PullRequest, Issue, Comment, Review, Commit, ArchiveEvent)]

    again = archive_import(archive_events(dump))

    assert again.imported == 0 and again.duplicates == 8
    assert [model.objects.count() for model in (PullRequest, Issue, Comment, Review, Commit, ArchiveEvent)] == counts


def test_all_imports_repositories_nobody_tracks(dump, db):
    stats = archive_import(archive_events(dump), everything=True)

    assert stats.imported == 7
    elsewhere = Repository.objects.get(full_name="someone/elsewhere")
    assert elsewhere.organization.login == "someone"
    assert PullRequest.objects.filter(repository=elsewhere).count() == 1


def test_an_old_event_of_a_name_now_given_to_another_repository_is_not_imported_into_it(dump, acme):
    today = Repository.objects.create(organization=acme, owner="Codertocat", name="Hello-World",
                                      full_name="Codertocat/Hello-World", github_id=5)

    stats = archive_import(archive_events(dump))

    assert stats.imported == 0 and stats.untracked == 9
    assert not PullRequest.objects.exists()
    today.refresh_from_db()
    assert today.github_id == 5 and today.full_name == "Codertocat/Hello-World"


def test_the_command_prints_a_json_summary(dump, tracked, capsys):
    call_command("import_gharchive", str(dump), "--no-progress")

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["files"] == 1 and summary["imported"] == 6 and summary["by_type"]["PushEvent"] == 1


def test_the_command_rejects_a_file_that_is_not_a_dump(tmp_path, db):
    broken = tmp_path / "broken.json.gz"
    with gzip.open(broken, "wt") as out:
        out.write("<html>\n")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("import_gharchive", str(broken), "--no-progress")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_gharchive", str(tmp_path / "absent.json.gz"), "--no-progress")
