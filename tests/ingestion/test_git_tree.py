"""head_files reads HEAD's regular files from git objects: never a link's target, a submodule,
the working tree, or a repository that merely contains the folder it was given."""

from __future__ import annotations

import pytest

from ingestion.services.git.tree import head_files
from ingestion.services.git.walker import CloneError
from tests.analysis.gitrepo import GitRepo


def everything(path: str, *, max_bytes: int = 1_000_000) -> dict[str, bytes]:
    return dict(head_files(path, wanted=lambda _: True, descend=lambda _: True, max_bytes=max_bytes))


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Files", files={"a.txt": "a\n", "deep/er/b.txt": "b\n", "big.txt": "x" * 100})
    (repo.path / "link.txt").symlink_to("/etc/hostname")
    GitRepo(repo.path / "vendored").commit("Vendored", files={"c.txt": "c\n"})
    repo.commit("Link and submodule")
    return repo


def test_it_yields_the_regular_files_of_head_and_leaves_out_links_and_submodules(repo):
    assert everything(str(repo.path)) == {"a.txt": b"a\n", "big.txt": b"x" * 100, "deep/er/b.txt": b"b\n"}


def test_it_reads_head_not_the_working_tree(repo):
    (repo.path / "a.txt").write_text("changed\n")
    (repo.path / "new.txt").write_text("new\n")
    assert everything(str(repo.path))["a.txt"] == b"a\n" and "new.txt" not in everything(str(repo.path))


def test_it_looks_only_into_the_folders_asked_for_and_skips_large_files(repo):
    files = head_files(str(repo.path), wanted=lambda _: True, descend=lambda path: path == "deep", max_bytes=10)
    assert dict(files) == {"a.txt": b"a\n"}


def test_a_folder_inside_a_repository_is_not_taken_for_that_repository(repo, tmp_path):
    assert everything(str(repo.path / "deep")) == {}
    assert everything(str(tmp_path / "missing")) == {}


def test_a_head_that_cannot_be_read_is_an_error(repo):
    head = repo.git("rev-parse", "HEAD")
    (repo.path / ".git" / "objects" / head[:2] / head[2:]).unlink()
    with pytest.raises(CloneError, match="HEAD commit"):
        everything(str(repo.path))
