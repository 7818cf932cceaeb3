"""The search index follows an ingest: the commits of a clone just read are searchable without
waiting for the hourly indexing, the batches of one ingest queue one indexing of the
repository, and indexing it again changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ingestion.models import Repository
from ingestion.services.git.ingest import clone_ingest
from sprints.models import SearchDocument
from sprints.receivers import SEARCH_INDEX_QUEUED
from sprints.tasks import search_documents_index_task
from tests.analysis.gitrepo import GitRepo

pytestmark = pytest.mark.django_db


@pytest.fixture
def clone(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "clone")
    repo.commit("Add the deployment guide", files={"README.md": "# Deploying\nRun the migrations first.\n"})
    repo.commit("Retry the flaky upload", files={"upload.py": "def upload():\n    return 1\n"})
    return repo


@pytest.fixture
def repository(acme, clone) -> Repository:
    return Repository.objects.create(organization=acme, owner=acme.login, name="app", full_name=f"{acme.login}/app",
                                     local_path=str(clone.path))


def commit_subjects(repository: Repository) -> set[str]:
    return set(SearchDocument.objects.filter(repository=repository, kind=SearchDocument.Kind.COMMIT)
               .values_list("title", flat=True))


def test_the_commits_of_an_ingested_clone_are_searchable_at_once(repository, clone,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clone_ingest(path=str(clone.path), repository=repository)

    assert commit_subjects(repository) == {"Add the deployment guide", "Retry the flaky upload"}
    assert cache.get(SEARCH_INDEX_QUEUED.format(repository.pk)) is None  # nothing left waiting


def test_an_ingest_while_an_indexing_waits_in_the_queue_leaves_its_commits_to_it(repository, clone,
                                                                                   django_capture_on_commit_callbacks):
    cache.set(SEARCH_INDEX_QUEUED.format(repository.pk), True)  # an indexing of the repository is queued

    with django_capture_on_commit_callbacks(execute=True):
        clone_ingest(path=str(clone.path), repository=repository)
    assert commit_subjects(repository) == set()

    search_documents_index_task(repository.pk)  # the queued indexing runs
    assert commit_subjects(repository) == {"Add the deployment guide", "Retry the flaky upload"}
    assert cache.get(SEARCH_INDEX_QUEUED.format(repository.pk)) is None


def test_indexing_a_repository_again_changes_nothing(repository, clone):
    clone_ingest(path=str(clone.path), repository=repository, announce_commits=False)
    first = search_documents_index_task(repository.pk)

    again = search_documents_index_task(repository.pk)

    assert first["changed"] >= 2 and again["changed"] == 0
    assert search_documents_index_task(repository.pk + 1000) is None  # a deleted repository
