"""Release milestones read from a git clone: each pair of consecutive release tags (by tag date) is a
milestone, and the non-merge commits between them are its items. Pure module: runs `git` only."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RELEASE_TAG = re.compile(r"^v?\d+(\.\d+){1,3}$")
DAY = 86_400.0


class GitHistoryError(RuntimeError):
    """The path is not a git repository, or git failed on it."""


@dataclass(frozen=True)
class ReleaseMilestone:
    previous_tag: str
    tag: str
    start: float  # unix seconds: the previous release
    end: float  # unix seconds: this release
    item_times: np.ndarray  # unix seconds of the milestone's non-merge commits, sorted

    @property
    def duration_days(self) -> float:
        return (self.end - self.start) / DAY

    @property
    def size(self) -> int:
        return int(self.item_times.size)

    def done_by(self, moment: float) -> int:
        return int(np.searchsorted(self.item_times, moment, side="right"))


def _git(repo: Path, *args: str) -> str:
    try:
        completed = subprocess.run(
            # Tag names are bytes to git: read what can be read as UTF-8.
            ["git", "-C", str(repo), *args], capture_output=True, text=True, errors="replace", check=True,
            timeout=300,
        )
    except FileNotFoundError as exc:
        raise GitHistoryError("git is not installed") from exc
    except subprocess.CalledProcessError as exc:
        raise GitHistoryError(f"git {' '.join(args)} failed in {repo}: {exc.stderr.strip()}") from exc
    return completed.stdout


def release_tags(repo: Path) -> list[tuple[str, float]]:
    """Final-release tags (`1.2.3`, `v1.2`; no rc/beta) with their tag date, oldest first."""
    out = _git(repo, "for-each-ref", "--format=%(refname:short) %(creatordate:unix)", "--end-of-options", "refs/tags")
    tags = []
    for line in out.splitlines():
        name, _, stamp = line.rpartition(" ")
        if RELEASE_TAG.match(name) and stamp.isdigit():
            tags.append((name, float(stamp)))
    tags.sort(key=lambda item: (item[1], item[0]))
    return tags


def _commit_times(repo: Path, *revisions: str, options: tuple[str, ...] = ()) -> np.ndarray:
    out = _git(repo, "rev-list", "--no-merges", "--format=%ct", *options, "--end-of-options", *revisions)
    stamps = [float(line) for line in out.splitlines() if line and not line.startswith("commit ")]
    return np.sort(np.asarray(stamps, dtype=float))


def release_milestones(repo: Path, *, min_duration_days: float = 1.0) -> list[ReleaseMilestone]:
    """Milestones between consecutive release tags; releases closer than `min_duration_days` to the
    previous one (same-day multi-branch releases) are merged into the next milestone."""
    tags = release_tags(repo)
    if len(tags) < 2:
        raise GitHistoryError(f"{repo}: fewer than two release tags")
    milestones: list[ReleaseMilestone] = []
    previous_name, previous_time = tags[0]
    for name, stamp in tags[1:]:
        if (stamp - previous_time) / DAY < min_duration_days:
            continue
        items = _commit_times(repo, name, f"^{previous_name}")
        if items.size:
            milestones.append(ReleaseMilestone(previous_name, name, previous_time, stamp, items))
        previous_name, previous_time = name, stamp
    return milestones


def all_commit_times(repo: Path) -> np.ndarray:
    """Times of every non-merge commit reachable from any tag or branch, sorted."""
    return _commit_times(repo, options=("--tags", "--branches"))


def daily_counts(times: np.ndarray, *, end: float, days: int) -> np.ndarray:
    """Items per day over the `days` days before `end` (oldest first)."""
    start = end - days * DAY
    window = times[(times >= start) & (times < end)]
    counts, _ = np.histogram(window, bins=np.linspace(start, end, days + 1))
    return counts.astype(float)
