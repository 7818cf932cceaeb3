"""A clone's documents come from the git tree of its HEAD and from nothing else on the server's
disk: a committed symlink, a submodule or a file left uncommitted in the working tree is never
read, a binary is skipped, and one repository that cannot be indexed does not stop the others."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.conf import settings

from gitinsight.models import Organization
from ingestion.models import Repository
from sprints.models import SearchDocument
from sprints.services.search_index import search_documents_index
from sprints.tasks import search_documents_index_all
from tests.analysis.gitrepo import GitRepo
from tests.conftest import key_client

pytestmark = pytest.mark.django_db

PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def clone(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "clone")
    repo.commit("Docs", files={"README.md": "# Deploying\nRun the migrations first.\n",
                               "docs/guide.md": "# Releasing\nTag, then publish the wheel.\n"})
    return repo


@pytest.fixture
def server_files(tmp_path) -> Path:
    """Files of the server outside any clone, as an operator keeps them."""
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "github-app.pem").write_text(PRIVATE_KEY)
    (folder / "core.md").write_bytes(b"# Core dump\n\x00\x01\x02 registers\x00\n")
    return folder


def connect(organization: Organization, clone: GitRepo, name: str = "app") -> Repository:
    return Repository.objects.create(organization=organization, owner=organization.login, name=name,
                                     full_name=f"{organization.login}/{name}", local_path=str(clone.path))


def commit_symlink(clone: GitRepo, relative: str, target: Path | str) -> None:
    link = clone.path / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    clone.commit(f"Link {relative}")
    assert clone.git("ls-files", "-s", relative).startswith("120000 ")  # git stores the link, not the file


def indexed_text(repository: Repository) -> str:
    rows = SearchDocument.objects.filter(repository=repository, kind=SearchDocument.Kind.DOC)
    return "\n".join(f"{title}\n{text}" for title, text in rows.values_list("title", "text"))


def doc_keys(repository: Repository) -> set[str]:
    return set(SearchDocument.objects.filter(repository=repository, kind="doc").values_list("key", flat=True))


def test_committed_docs_are_indexed_by_section(acme, clone):
    repository = connect(acme, clone)
    search_documents_index(repository_id=repository.pk)
    assert doc_keys(repository) == {"README.md#deploying", "docs/guide.md#releasing"}


def test_a_symlink_to_a_private_key_outside_the_clone_is_never_read(acme, alice, clone, server_files):
    commit_symlink(clone, "README.md", server_files / "github-app.pem")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert "PRIVATE KEY" not in indexed_text(repository)
    response = key_client(alice, "read").get("/api/v1/search", {"q": "PRIVATE KEY", "kind": "doc"})
    assert response.status_code == 200 and "PRIVATE KEY" not in response.content.decode()
    assert doc_keys(repository) == {"docs/guide.md#releasing"}  # the rest of the clone is still indexed


def test_a_symlink_to_etc_passwd_is_never_read(acme, alice, clone):
    assert "root:" in Path("/etc/passwd").read_text()
    commit_symlink(clone, "docs/users.md", "/etc/passwd")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert "root:" not in indexed_text(repository)
    response = key_client(alice, "read").get("/api/v1/search", {"q": "root", "kind": "doc"})
    assert "root:" not in response.content.decode()


def test_a_symlink_to_the_server_secret_key_is_never_read(acme, clone):
    secret_key_file = Path(settings.BASE_DIR) / ".data" / "secret_key"
    assert secret_key_file.is_file(), "the settings keep a generated SECRET_KEY here when none is set"
    secret = secret_key_file.read_text().strip()
    commit_symlink(clone, "docs/settings.md", secret_key_file)
    commit_symlink(clone, "docs/relative.md", Path("../" * 40) / secret_key_file.relative_to("/"))
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert secret not in indexed_text(repository)


def test_a_symlinked_folder_is_not_followed(acme, clone, server_files):
    commit_symlink(clone, "docs/server", server_files)
    (server_files / "notes.md").write_text("# Operator notes\nThe database password is hunter2.\n")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert "hunter2" not in indexed_text(repository)


def test_a_submodule_is_not_read(acme, clone, tmp_path):
    vendored = GitRepo(clone.path / "docs" / "vendor")
    vendored.commit("Vendored docs", files={"notes.md": "# Vendored\nSomebody else's words.\n"})
    clone.commit("Vendor a submodule")
    assert clone.git("ls-files", "-s", "docs/vendor").startswith("160000 ")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert "Somebody else" not in indexed_text(repository)


def test_only_what_head_holds_is_indexed_not_the_working_tree(acme, clone):
    (clone.path / "docs" / "draft.md").write_text("# Draft\nNot committed yet.\n")
    (clone.path / "README.md").write_text("# Edited\nChanged in the working tree only.\n")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert doc_keys(repository) == {"README.md#deploying", "docs/guide.md#releasing"}
    assert "working tree" not in indexed_text(repository)


def test_a_symlink_to_a_file_with_nul_bytes_does_not_stop_the_hourly_index(acme, globex, clone, server_files,
                                                                          tmp_path):
    commit_symlink(clone, "docs/core.md", server_files / "core.md")
    other_clone = GitRepo(tmp_path / "other")
    other_clone.commit("Docs", files={"README.md": "# Globex\nOur own handbook.\n"})
    first, second = connect(acme, clone), connect(globex, other_clone, name="handbook")

    results = search_documents_index_all()

    assert doc_keys(first) == {"README.md#deploying", "docs/guide.md#releasing"}
    assert doc_keys(second) == {"README.md#globex"}
    assert set(results) == {"acme/app", "globex/handbook"}


def test_a_committed_binary_is_skipped_and_the_other_docs_are_indexed(acme, clone):
    (clone.path / "docs" / "core.md").write_bytes(b"# Core dump\n\x00\x01\x02 registers\x00\n")
    clone.commit("Commit a binary by mistake")
    repository = connect(acme, clone)

    search_documents_index(repository_id=repository.pk)

    assert doc_keys(repository) == {"README.md#deploying", "docs/guide.md#releasing"}


def test_a_clone_that_cannot_be_read_is_logged_and_the_other_repositories_are_indexed(acme, globex, clone,
                                                                                    tmp_path, caplog):
    head = clone.git("rev-parse", "HEAD")
    (clone.path / ".git" / "objects" / head[:2] / head[2:]).unlink()  # HEAD names a commit that is gone
    other_clone = GitRepo(tmp_path / "other")
    other_clone.commit("Docs", files={"README.md": "# Globex\nOur own handbook.\n"})
    broken, healthy = connect(acme, clone), connect(globex, other_clone, name="handbook")

    with caplog.at_level(logging.ERROR, logger="sprints.services.search_index"):
        results = search_documents_index_all()

    assert doc_keys(healthy) == {"README.md#globex"}
    assert "error" in results[broken.full_name] and not doc_keys(broken)
    assert any(broken.full_name in record.getMessage() for record in caplog.records)


def test_a_corrupt_document_is_skipped_and_the_rest_of_the_clone_is_indexed(acme, clone, caplog):
    blob = clone.git("rev-parse", "HEAD:docs/guide.md")
    loose = clone.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a zlib stream")
    repository = connect(acme, clone)

    with caplog.at_level(logging.WARNING, logger="sprints.services.search_index"):
        search_documents_index(repository_id=repository.pk)

    assert doc_keys(repository) == {"README.md#deploying"}
    assert any("docs/guide.md" in record.getMessage() for record in caplog.records)
