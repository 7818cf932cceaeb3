"""Which commits fix a bug. Three sources, strongest first: an imported list of fix commits;
references in the message to tracker issues known to be bugs (GitHub "fixes #12" for an
ingested issue labelled bug, Jira-style keys such as ZOOKEEPER-1234 through a tracker
mapping); and, when nothing better is known, keywords."""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.core.records import CommitRecord

# ASCII digits, no longer than a GitHub issue number can be (int() refuses 4300+ digits).
_GITHUB_CLOSING = re.compile(r"\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?)\s*:?\s+#([0-9]{1,10})\b", re.IGNORECASE)
_KEYWORDS = re.compile(r"\b(?:fix(?:e[sd]|ing)?|bugs?|defects?|patch|crash(?:es)?|npe|regression|broken|leak)\b",
                       re.IGNORECASE)
_NOT_A_FIX = re.compile(r"\b(?:prefix|suffix|fix (?:typos?|checkstyle|style|spelling|license|javadoc))\b",
                        re.IGNORECASE)


@dataclass(frozen=True)
class TrackerMapping:
    """How issue keys look in messages, and which keys are bugs. `key_pattern` must have one
    group capturing the whole key (e.g. r"\\b(ZOOKEEPER-\\d+)\\b"); `bug_keys` are the keys the
    tracker types as bugs, with their report time (Unix seconds) when known."""

    key_pattern: str
    bug_keys: Mapping[str, int | None] = field(default_factory=dict)

    def keys_in(self, message: str) -> list[str]:
        return [match.upper() for match in re.findall(self.key_pattern, message, flags=re.IGNORECASE)]


@dataclass(frozen=True)
class FixDetector:
    """Decides FIX for a commit. With `fix_shas` (an imported list) only those commits are
    fixes; otherwise tracker references decide, and keywords when `use_keywords` is on."""

    fix_shas: Collection[str] | None = None
    tracker: TrackerMapping | None = None
    #: numbers of GitHub issues labelled as bugs, with their report time (Unix s) when known
    github_bug_numbers: Mapping[int, int | None] = field(default_factory=dict)
    use_keywords: bool = True

    def is_fix(self, commit: CommitRecord) -> bool:
        if self.fix_shas is not None:
            return commit.sha in self.fix_shas
        first_line = commit.message.splitlines()[0] if commit.message else ""
        if self.tracker is not None and any(key in self.tracker.bug_keys for key in self.tracker.keys_in(first_line)):
            return True
        if self.github_bug_numbers and any(
            int(number) in self.github_bug_numbers for number in _GITHUB_CLOSING.findall(commit.message)
        ):
            return True
        if not self.use_keywords:
            return False
        return bool(_KEYWORDS.search(first_line)) and not _NOT_A_FIX.search(first_line)

    def bug_reported_at(self, commit: CommitRecord) -> int | None:
        """The earliest report time of the bugs the message refers to, when known: SZZ drops
        inducing candidates made after it."""
        times: list[int | None] = []
        if self.tracker is not None:
            times += [self.tracker.bug_keys.get(key) for key in self.tracker.keys_in(commit.message)]
        times += [self.github_bug_numbers.get(int(n)) for n in _GITHUB_CLOSING.findall(commit.message)]
        known = [time for time in times if time is not None]
        return min(known) if known else None

    def __call__(self, commit: CommitRecord) -> bool:
        return self.is_fix(commit)


@dataclass(frozen=True)
class FixList:
    """An imported list of fix commits (CSV with columns issue_key, commit_id)."""

    issue_keys_by_sha: dict[str, list[str]]

    @property
    def shas(self) -> set[str]:
        return set(self.issue_keys_by_sha)


class FixListError(ValueError):
    pass


def fix_list_read(path: str | Path) -> FixList:
    keys: dict[str, list[str]] = {}
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "commit_id" not in reader.fieldnames:
                raise FixListError(f"{path}: expected a CSV with a commit_id column, got {reader.fieldnames}")
            for row in reader:
                keys.setdefault((row["commit_id"] or "").strip(), []).append((row.get("issue_key") or "").strip())
    except (UnicodeDecodeError, csv.Error) as error:
        raise FixListError(f"{path}: not a UTF-8 CSV file: {error}") from error
    return FixList(issue_keys_by_sha=keys)
