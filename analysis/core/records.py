"""Plain commit records that every part of the risk pipeline reads, whatever the source
(a git clone or the ingestion tables). No Django import here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileChange:
    path: str
    additions: int
    deletions: int
    old_path: str = ""
    is_binary: bool = False


@dataclass(frozen=True)
class CommitRecord:
    """`timestamp` is the author time in Unix seconds; records must be fed oldest first."""

    sha: str
    author: str
    timestamp: int
    message: str
    files: tuple[FileChange, ...] = field(default_factory=tuple)
    parents: tuple[str, ...] = field(default_factory=tuple)

    @property
    def lines_added(self) -> int:
        return sum(change.additions for change in self.files)

    @property
    def lines_deleted(self) -> int:
        return sum(change.deletions for change in self.files)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1
