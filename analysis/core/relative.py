"""Kamei's features relative to the repository's own history: for size, experience, age and
ownership, the share of the repository's earlier commits with a smaller value (a percentile,
ties counted half). A 500-line change is ordinary in one repository and huge in another; its
percentile says which, so one model can score commits of repositories it never saw.

Each percentile only sees the commits before it (no look-ahead), exactly like the features
themselves. Values are counted in buckets (exact below 32, then 16 per doubling, about 4 %
wide), so a percentile costs a few microseconds whatever the length of the history."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from analysis.core.kamei import KameiState
from analysis.core.records import CommitRecord

#: the features whose scale differs between repositories, and their percentile's name
RELATIVE_OF: dict[str, str] = {
    "la": "la_pct", "ld": "ld_pct", "lt": "lt_pct", "nf": "nf_pct", "nd": "nd_pct",
    "ndev": "ndev_pct", "age": "age_pct", "nuc": "nuc_pct", "exp": "exp_pct", "rexp": "rexp_pct",
    "sexp": "sexp_pct",
}
RELATIVE_NAMES: tuple[str, ...] = tuple(RELATIVE_OF.values())
#: the percentile of a repository's very first commit, which has nothing to compare with
NO_HISTORY = 0.5

_EXACT = 32
_PER_DOUBLING = 16
_BUCKETS = _EXACT + _PER_DOUBLING * 64


def _bucket(value: float) -> int:
    if value < _EXACT:
        return max(int(value), 0)
    return min(_EXACT + int(_PER_DOUBLING * math.log2(value / _EXACT)), _BUCKETS - 1)


class _Counts:
    """How many earlier values fell in each bucket, in a Fenwick tree (prefix sums in log time)."""

    __slots__ = ("_tree", "total")

    def __init__(self) -> None:
        self._tree = [0] * (_BUCKETS + 1)
        self.total = 0

    def add(self, bucket: int) -> None:
        self.total += 1
        i = bucket + 1
        while i <= _BUCKETS:
            self._tree[i] += 1
            i += i & -i

    def below(self, bucket: int) -> int:
        """How many values fell in buckets before `bucket`."""
        count, i = 0, bucket
        while i > 0:
            count += self._tree[i]
            i -= i & -i
        return count

    def percentile(self, value: float) -> float:
        if self.total == 0:
            return NO_HISTORY
        bucket = _bucket(value)
        below = self.below(bucket)
        same = self.below(bucket + 1) - below
        return (below + 0.5 * same) / self.total


class RelativeState:
    """The distribution of the relative features over the commits seen so far. Ask
    `percentiles` of a commit before you `observe` it."""

    def __init__(self) -> None:
        self._counts = {name: _Counts() for name in RELATIVE_OF}

    def percentiles(self, features: dict[str, float]) -> dict[str, float]:
        return {RELATIVE_OF[name]: counts.percentile(features[name]) for name, counts in self._counts.items()}

    def observe(self, features: dict[str, float]) -> None:
        for name, counts in self._counts.items():
            counts.add(_bucket(features[name]))


def features_with_percentiles_in_time_order(
    commits: Iterable[CommitRecord], *, is_fix: Callable[[CommitRecord], bool]
) -> Iterator[tuple[CommitRecord, dict[str, float]]]:
    """Yield (commit, features) for every commit: Kamei's 14 plus their percentiles among the
    repository's earlier commits, each computed from the commits before it."""
    state, relative = KameiState(), RelativeState()
    for commit in commits:
        features = state.features(commit, is_fix=is_fix(commit))
        yield commit, features | relative.percentiles(features)
        state.observe(commit)
        relative.observe(features)
