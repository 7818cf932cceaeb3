"""Make a fetched snapshot readable by `git log -p` and `git diff-tree`: snapshots leave out
files of 4 MiB and more, and git stops at the first missing blob. A private overlay repository
borrows the snapshot's objects (alternates), copies its refs, and replaces each missing blob
with a one-line placeholder, so those files read as a small text change and everything else
is untouched. The snapshot itself is never written to."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.duplicates.history import HistoryError

PLACEHOLDER = b"file left out of the snapshot\n"


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise HistoryError(f"git {' '.join(args[:2])} failed in {repo}: {error}") from error


def missing_objects(repo: Path) -> list[str]:
    """Objects that commits or trees of any ref name but the snapshot lacks."""
    listing = _git(repo, "rev-list", "--objects", "--missing=print", "--all").decode()
    return sorted(line[1:] for line in listing.splitlines() if line.startswith("?"))


def _git_dir(repo: Path) -> Path:
    return Path(_git(repo, "rev-parse", "--absolute-git-dir").decode().strip())


@contextmanager
def readable(repo: Path) -> Iterator[Path]:
    """`repo` itself when nothing is missing, else a temporary overlay that reads the same."""
    if not repo.exists():
        raise HistoryError(f"{repo} does not exist")
    missing = missing_objects(repo)
    if not missing:
        yield repo
        return
    with tempfile.TemporaryDirectory(prefix="triage-overlay-") as folder:
        overlay = Path(folder) / "repo.git"
        _git(Path(folder), "init", "-q", "--bare", str(overlay))
        (overlay / "objects" / "info" / "alternates").write_text(f"{_git_dir(repo) / 'objects'}\n")
        refs = _git(repo, "for-each-ref", "--format=create %(refname) %(objectname)").decode()
        placeholder = _git(overlay, "hash-object", "-w", "--stdin", stdin=PLACEHOLDER).decode().strip()
        # a replace ref swaps an object for another wherever git reads it, even when the
        # original is absent (update-ref does not ask for it to exist, unlike `git replace`)
        refs += "".join(f"create refs/replace/{sha} {placeholder}\n" for sha in missing)
        _git(overlay, "update-ref", "--stdin", stdin=refs.encode())
        yield overlay
