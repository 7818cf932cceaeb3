"""Files of a clone as its HEAD commit holds them, read from git objects with pygit2 and from
nothing else: the working tree is never opened, and symlinks (mode 120000) and submodules
(160000) are left out, so a committed link cannot make the server read a file of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pygit2
from pygit2.enums import FileMode, RepositoryOpenFlag

from ingestion.services.git.walker import CloneError

logger = logging.getLogger(__name__)

_REGULAR = (FileMode.BLOB, FileMode.BLOB_EXECUTABLE)
_UNREADABLE = (pygit2.GitError, KeyError, ValueError)


def head_files(
    path: str, *, wanted: Callable[[str], bool], descend: Callable[[str], bool], max_bytes: int
) -> Iterator[tuple[str, bytes]]:
    """(path in the repository, content) of HEAD's regular files that `wanted` accepts, looking
    only into the folders `descend` accepts. A file over `max_bytes` or whose object cannot be
    read is left out (the latter logged). Nothing when `path` itself is no git repository or
    has no commit; CloneError when HEAD's commit or a folder of its tree cannot be read."""
    try:
        # NO_SEARCH: a folder that is no repository must not open whichever repository contains it.
        repo = pygit2.Repository(path, RepositoryOpenFlag.NO_SEARCH)
        if repo.head_is_unborn:
            return
    except pygit2.GitError:
        return
    try:
        tree = repo.head.peel(pygit2.Commit).tree
    except _UNREADABLE as exc:
        raise CloneError(f"the HEAD commit of {path} cannot be read: {exc}") from exc
    yield from _tree_files(repo, tree, "", wanted=wanted, descend=descend, max_bytes=max_bytes)


def _tree_files(
    repo: pygit2.Repository, tree: pygit2.Tree, prefix: str, *, wanted: Callable[[str], bool],
    descend: Callable[[str], bool], max_bytes: int,
) -> Iterator[tuple[str, bytes]]:
    for entry in tree:
        path = f"{prefix}{entry.name}"
        if entry.filemode == FileMode.TREE and descend(path):
            try:
                subtree = repo[entry.id].peel(pygit2.Tree)
            except _UNREADABLE as exc:
                raise CloneError(f"the folder {path} of {repo.path} cannot be read: {exc}") from exc
            yield from _tree_files(repo, subtree, f"{path}/", wanted=wanted, descend=descend, max_bytes=max_bytes)
        elif entry.filemode in _REGULAR and wanted(path):
            try:
                _, size = repo.odb.read_header(entry.id)
                if size > max_bytes:
                    continue
                data = repo[entry.id].peel(pygit2.Blob).data
            except _UNREADABLE as exc:
                logger.warning("%s in %s cannot be read and is left out: %s", path, repo.path, exc)
                continue
            yield path, data
