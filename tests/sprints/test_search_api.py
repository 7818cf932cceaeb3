import pytest

from ingestion.models import Commit, Issue, Repository
from sprints.models import SearchDocument
from sprints.services.search_index import search_documents_index
from tests.analysis.gitrepo import GitRepo
from tests.conftest import key_client


@pytest.fixture
def indexed(acme, globex, tmp_path) -> Repository:
    GitRepo(tmp_path).commit("Docs", files={
        "README.md": "# Deploying\nRun the migrations before you restart the web workers.\n"})
    repository = Repository.objects.create(
        organization=acme, owner="acme", name="app", full_name="acme/app", local_path=str(tmp_path)
    )
    Issue.objects.create(
        repository=repository,
        number=1,
        title="Memory leak in the worker pool",
        body="RSS grows without bound after many jobs.",
    )
    Issue.objects.create(repository=repository, number=2, title="Dark mode for the dashboard", body="")
    Commit.objects.create(repository=repository, sha="a" * 40, message="Fix crash when the cache is empty\n\nDetails.")
    other = Repository.objects.create(organization=globex, owner="globex", name="x", full_name="globex/x")
    Issue.objects.create(repository=other, number=1, title="Memory leak in globex", body="secret")
    search_documents_index(repository_id=repository.pk)
    search_documents_index(repository_id=other.pk)
    return repository


def test_indexing_covers_issues_commits_and_docs_and_skips_unchanged_texts(indexed):
    kinds = sorted(SearchDocument.objects.filter(repository=indexed).values_list("kind", flat=True))
    assert kinds == ["commit", "doc", "issue", "issue"]
    assert not SearchDocument.objects.filter(vector__isnull=True).exists()
    assert search_documents_index(repository_id=indexed.pk)["changed"] == 0


def test_keyword_and_semantic_search_find_the_right_issue_within_the_callers_organizations(indexed, alice):
    response = key_client(alice, "read").get("/api/v1/search", {"q": "memory leak"})
    body = response.json()
    assert response.status_code == 200 and body["semantic"] is True
    assert body["results"][0]["key"] == "1" and "keyword" in body["results"][0]["matched_by"]
    assert all(hit["repository"] == "acme/app" for hit in body["results"])


def test_semantic_search_finds_meaning_without_shared_words(indexed, alice):
    response = key_client(alice, "read").get("/api/v1/search", {"q": "process uses more and more RAM", "kind": "issue"})
    first = response.json()["results"][0]
    assert first["key"] == "1" and first["matched_by"] == ["semantic"]


def test_docs_are_searchable_by_section(indexed, bob):
    response = key_client(bob, "read").get("/api/v1/search", {"q": "restart web workers", "kind": "doc"})
    assert response.json()["results"][0]["key"] == "README.md#deploying"


def test_an_empty_query_is_rejected(indexed, alice):
    assert key_client(alice, "read").get("/api/v1/search", {"q": "  "}).status_code == 400
