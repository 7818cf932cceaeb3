"""From ingestion's signal to a stored run: receivers, the django-q2 task and diff sources."""

import os
import subprocess
from pathlib import Path

import pytest
from django_q.conf import Conf

from ingestion.signals import pull_request_head_changed, pull_request_opened
from tests.triage.duplicates.fixtures import make_pull_request, make_repository
from triage.duplicates.models import AnalysisRun, ChannelSignature
from triage.duplicates.tasks import analysis_run_task

_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


@pytest.fixture
def sync_queue(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=_ENV
    ).stdout.strip()


def test_an_opened_pull_request_gets_a_run_after_commit(acme, sync_queue, django_capture_on_commit_callbacks, settings):
    settings.TRIAGE_EMBEDDINGS = False
    pr = make_pull_request(make_repository(acme), 1, "Fix samefile")
    with django_capture_on_commit_callbacks(execute=True):
        pull_request_opened.send(
            sender=None, repository_id=pr.repository_id, pull_request_id=pr.pk, head_sha=pr.head_sha
        )
    run = AnalysisRun.objects.get(pull_request=pr)
    # no local clone and no GitHub repository: the run says why it could not read the diff
    assert run.status == AnalysisRun.Status.FAILED and "no local clone" in run.error


def test_a_new_push_makes_a_new_run(acme, sync_queue, django_capture_on_commit_callbacks, settings):
    settings.TRIAGE_EMBEDDINGS = False
    pr = make_pull_request(make_repository(acme), 1, "Fix samefile")
    with django_capture_on_commit_callbacks(execute=True):
        pull_request_head_changed.send(
            sender=None,
            repository_id=pr.repository_id,
            pull_request_id=pr.pk,
            head_sha="a" * 40,
            previous_head_sha=pr.head_sha,
        )
        pull_request_head_changed.send(
            sender=None,
            repository_id=pr.repository_id,
            pull_request_id=pr.pk,
            head_sha="b" * 40,
            previous_head_sha="a" * 40,
        )
    assert sorted(AnalysisRun.objects.values_list("head_sha", flat=True)) == ["a" * 40, "b" * 40]


def test_it_reads_the_diff_from_a_local_clone(acme, tmp_path, settings):
    settings.TRIAGE_EMBEDDINGS = False
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.py").write_text("def run():\n    return 1\n")
    _git(tmp_path, "add", "app.py")
    _git(tmp_path, "commit", "-q", "-m", "base")
    base = _git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "app.py").write_text("def run():\n    return 2\n")
    _git(tmp_path, "commit", "-q", "-am", "change")
    head = _git(tmp_path, "rev-parse", "HEAD")
    repository = make_repository(acme)
    repository.local_path = str(tmp_path)
    repository.save()
    pr = make_pull_request(repository, 1, "Return two")
    pr.base_sha, pr.head_sha = base, head
    pr.save()
    run = AnalysisRun.objects.get(pk=analysis_run_task(pr.pk, head))
    assert run.status == AnalysisRun.Status.DONE
    assert ChannelSignature.objects.get(pull_request=pr).symbols_json == ["run"]
    assert analysis_run_task(pr.pk, head) == str(run.pk)  # the same head is not analysed twice
