"""The 14 change-level features of Kamei et al. (TSE 2013), computed in one pass over commits
fed oldest first, so a commit's features only see the commits before it (no look-ahead).

Definitions follow Kamei 2013 / commit-guru:
- NS, ND, NF: distinct subsystems (top-level directory), directories and files modified.
- Entropy: spread of the modified lines over the files, -sum(p log2 p), divided by log2(NF)
  so that it lies in [0, 1] whatever the number of files (commit-guru's normalisation).
- LA, LD, LT: lines added, deleted, and lines in the modified files before the change. They
  are stored RAW; `model_matrix` in training derives Kamei's relative churn (LA/LT, LD/LT,
  LT/NF) for the models. LT is tracked incrementally from the line counts of earlier commits,
  so it is exact for linear history and approximate across merged branches.
- FIX: 1 when the commit is a bug fix (decided by the caller, see bugfix.py).
- NDEV, AGE, NUC: distinct earlier authors of the modified files; mean days since each file's
  previous change; distinct earlier commits that touched the modified files.
- EXP, REXP, SEXP: earlier commits by the author; the same weighted by 1/(1 + age in years);
  earlier commits by the author in the subsystems this commit modifies.
"""

from __future__ import annotations

import math
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from analysis.core.records import CommitRecord

#: version of the stored feature vector: 2 adds the percentiles of analysis/core/relative.py
FEATURE_VERSION = 2
FEATURE_NAMES: tuple[str, ...] = (
    "ns", "nd", "nf", "entropy", "la", "ld", "lt", "fix", "ndev", "age", "nuc", "exp", "rexp", "sexp",
)
_SECONDS_PER_DAY = 86_400.0
_SECONDS_PER_YEAR = 365.25 * _SECONDS_PER_DAY


@dataclass
class _FileHistory:
    lines: int = 0
    last_change: int | None = None
    authors: set[str] = field(default_factory=set)
    commits: set[int] = field(default_factory=set)


@dataclass
class _AuthorHistory:
    timestamps: list[int] = field(default_factory=list)
    per_subsystem: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def subsystem_of(path: str) -> str:
    return path.split("/", 1)[0] if "/" in path else ""


class KameiState:
    """Everything the features need to remember about the past. Feed commits with `observe`
    oldest first; `features` of a commit must be asked before that commit is observed."""

    def __init__(self) -> None:
        self._files: dict[str, _FileHistory] = defaultdict(_FileHistory)
        self._authors: dict[str, _AuthorHistory] = defaultdict(_AuthorHistory)
        self._count = 0

    def features(self, commit: CommitRecord, *, is_fix: bool) -> dict[str, float]:
        changes = [change for change in commit.files if not change.is_binary] or list(commit.files)
        paths = [change.path for change in changes]
        subsystems = {subsystem_of(path) for path in paths}
        directories = {posixpath.dirname(path) for path in paths}
        histories = [self._files.get(change.old_path or change.path) for change in changes]
        known = [history for history in histories if history is not None]

        churn = [change.additions + change.deletions for change in changes]
        total_churn = sum(churn)
        entropy = 0.0
        if total_churn > 0 and len(changes) > 1:
            entropy = -sum((c / total_churn) * math.log2(c / total_churn) for c in churn if c > 0)
            entropy /= math.log2(len(changes))

        ages = [(commit.timestamp - h.last_change) / _SECONDS_PER_DAY for h in known if h.last_change is not None]
        author = self._authors.get(commit.author)
        exp = len(author.timestamps) if author else 0
        rexp = sum(1.0 / (1.0 + max(commit.timestamp - ts, 0) / _SECONDS_PER_YEAR)
                   for ts in author.timestamps) if author else 0.0
        sexp = sum(author.per_subsystem.get(s, 0) for s in subsystems) if author else 0
        return {
            "ns": float(len(subsystems)),
            "nd": float(len(directories)),
            "nf": float(len(paths)),
            "entropy": entropy,
            "la": float(sum(change.additions for change in changes)),
            "ld": float(sum(change.deletions for change in changes)),
            "lt": float(sum(h.lines for h in known)),
            "fix": 1.0 if is_fix else 0.0,
            "ndev": float(len(set().union(*(h.authors for h in known)))) if known else 0.0,
            "age": (sum(max(a, 0.0) for a in ages) / len(ages)) if ages else 0.0,
            "nuc": float(len(set().union(*(h.commits for h in known)))) if known else 0.0,
            "exp": float(exp),
            "rexp": rexp,
            "sexp": float(sexp),
        }

    def observe(self, commit: CommitRecord) -> None:
        index = self._count
        self._count += 1
        subsystems = set()
        for change in commit.files:
            history = self._files.pop(change.old_path, None) if change.old_path else None
            if history is not None:
                self._files[change.path] = history
            history = self._files[change.path]
            history.lines = max(history.lines + change.additions - change.deletions, 0)
            history.last_change = commit.timestamp
            history.authors.add(commit.author)
            history.commits.add(index)
            subsystems.add(subsystem_of(change.path))
        author = self._authors[commit.author]
        author.timestamps.append(commit.timestamp)
        for subsystem in subsystems:
            author.per_subsystem[subsystem] += 1


def features_in_time_order(
    commits: Iterable[CommitRecord], *, is_fix: Callable[[CommitRecord], bool]
) -> Iterator[tuple[CommitRecord, dict[str, float]]]:
    """Yield (commit, features) for every commit, each computed from the commits before it."""
    state = KameiState()
    for commit in commits:
        yield commit, state.features(commit, is_fix=is_fix(commit))
        state.observe(commit)
