"""Synthetic pull request heads for load tests of retrieval: a repository-like tree, a
Zipf-like choice of files (a few files are touched by many PRs, as in real projects),
symbols in hunk headers, and near-duplicates of earlier heads as planted answers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from triage.duplicates.core.diffnorm import FileDiff, Hunk
from triage.duplicates.core.signature import PRSignature, pr_signature

_DIRECTORIES = 300
_FILES_PER_DIRECTORY = 20
_SYMBOLS = 30000
_WORDS = 4000


@dataclass
class SyntheticHead:
    title: str
    body: str
    files: list[FileDiff]

    def signature(self) -> PRSignature:
        return pr_signature(self.files, title=self.title, body=self.body)


class SyntheticHistory:
    """Deterministic for a seed: the same calls give the same heads."""

    def __init__(self, seed: int = 42) -> None:
        self.random = random.Random(seed)
        self.paths = [f"src/pkg{d % 17}/mod{d}/file{f}.impl" for d in range(_DIRECTORIES)
                      for f in range(_FILES_PER_DIRECTORY)]
        self.weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.paths))]

    def _word(self) -> str:
        return f"word{int(self.random.paretovariate(1.1) * 7) % _WORDS}"

    def _symbol(self) -> str:
        return f"sym_{self.random.randrange(_SYMBOLS)}"

    def head(self) -> SyntheticHead:
        files = []
        for path in set(self.random.choices(self.paths, weights=self.weights, k=self.random.randint(1, 4))):
            lines = [(self.random.choice("+-"), f"{self._symbol()} = {self._word()}({self.random.randrange(10**6)})")
                     for _ in range(self.random.randint(3, 30))]
            files.append(FileDiff(path=path, hunks=[Hunk(1, 5, 1, 5, f"def {self._symbol()}(self):", lines)]))
        title = " ".join(self._word() for _ in range(self.random.randint(3, 8)))
        return SyntheticHead(title=title, body="", files=files)

    def near_duplicate(self, original: SyntheticHead) -> SyntheticHead:
        """The same files and symbols with about a third of the changed lines rewritten."""
        files = []
        for file in original.files:
            hunks = []
            for hunk in file.hunks:
                lines = [(sign, text if self.random.random() > 0.35 else f"{text} + {self._word()}")
                         for sign, text in hunk.lines]
                hunks.append(Hunk(hunk.old_start, hunk.old_len, hunk.new_start, hunk.new_len, hunk.header, lines))
            files.append(FileDiff(path=file.path, hunks=hunks))
        return SyntheticHead(title=f"[backport] {original.title}", body="", files=files)
