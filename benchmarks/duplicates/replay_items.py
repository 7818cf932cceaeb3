"""The items a replay indexes, oldest first: every landed commit as a pseudo pull request and,
optionally, every real pull request head of a fetched mirror (`refs/pull/<n>/head`)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.duplicates.history import LANDED_REFS, HistoryError, PseudoPullRequest, read_history
from benchmarks.duplicates.pull_heads import PullHeadItem, read_pull_heads
from benchmarks.duplicates.snapshot import readable
from benchmarks.duplicates.truth import keep_lines_for, landing_number, origins_in


@dataclass
class ReplayItems:
    items: list[PseudoPullRequest]
    pull_heads: int = 0
    #: pull request heads left out, by reason
    skipped_heads: dict[str, int] = field(default_factory=dict)


def landed_messages(repo: Path) -> dict[str, tuple[str, str, bool]]:
    """sha -> (subject, body, is a merge) of every landed commit."""
    try:
        output = subprocess.run(
            ["git", "-C", str(repo), "log", *LANDED_REFS, "--format=%H%x00%P%x00%s%x00%b%x01"],
            capture_output=True, text=True, errors="replace", check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise HistoryError(f"git log failed in {repo}: {error}") from error
    messages = {}
    for record in output.split("\x01"):
        parts = record.strip("\n").split("\x00")
        if len(parts) == 4:
            sha, parents, subject, body = parts
            messages[sha] = (subject, body, len(parents.split()) > 1)
    return messages


def replay_items(
    path: Path, *, pull_heads: bool = False, progress: Callable[[int], None] | None = None
) -> ReplayItems:
    """Landed commits (and pull request heads), sorted by commit time; a head and a commit of the
    same time keep a stable order (commits first)."""
    with readable(path) as repo:
        messages = landed_messages(repo)
        keep_shas, keep_numbers = keep_lines_for(messages)
        items: list[PseudoPullRequest] = read_history(repo, progress=progress, also_keep=keep_shas)
        result = ReplayItems(items=items)
        if pull_heads:
            # a squash-merged pull request's title is its squash commit's subject without "(#N)"
            titles = {}
            for subject, _, is_merge in messages.values():
                number = landing_number(subject, is_merge=is_merge)
                if number is not None and not is_merge:
                    titles.setdefault(number, subject.rsplit(" (#", 1)[0])
            def keep(number: int, text: str) -> bool:
                return number in keep_numbers or origins_in(text) != ([], [])

            heads = read_pull_heads(repo, keep_lines=keep, titles=titles, progress=progress)
            result.items = items + heads.items
            result.pull_heads = len(heads.items)
            result.skipped_heads = heads.skipped
    result.items.sort(key=lambda item: (item.committed_at, isinstance(item, PullHeadItem), item.sha))
    return result
