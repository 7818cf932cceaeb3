"""The plain data the insight computations read: one entry per non-merge commit."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeRecord:
    sha: str
    author: str
    timestamp: int  # Unix seconds
    is_fix: bool
    risk: float | None  # the latest predicted probability, when there is one
    files: tuple[tuple[str, int], ...] = field(default_factory=tuple)  # (path, lines added + deleted)
