"""Labels from SZZ links: a commit is risky (1) when some fix blames it, clean (0) when none
does and it is older than the maturity window, and unlabelled (None) otherwise: a young
commit may simply not have had its bugs found yet."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from analysis.core.records import CommitRecord
from analysis.core.szz import InducingLink

DEFAULT_MATURITY_DAYS = 180
_TRUE = {"1", "true", "yes", "t", "y"}


class LabelFileError(ValueError):
    pass


def labels_from_links(
    commits: Iterable[CommitRecord],
    links: Iterable[InducingLink],
    *,
    as_of: int,
    maturity_days: int = DEFAULT_MATURITY_DAYS,
) -> dict[str, int | None]:
    inducing = {link.inducing_sha for link in links}
    mature_before = as_of - maturity_days * 86_400
    labels: dict[str, int | None] = {}
    for commit in commits:
        if commit.sha in inducing:
            labels[commit.sha] = 1
        elif commit.timestamp <= mature_before:
            labels[commit.sha] = 0
        else:
            labels[commit.sha] = None
    return labels


def labels_read(path: str | Path) -> dict[str, int]:
    """A label file with columns commit_id and buggy (true/false or 1/0)."""
    labels: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"commit_id", "buggy"} <= set(reader.fieldnames):
            raise LabelFileError(f"{path}: expected columns commit_id and buggy, got {reader.fieldnames}")
        for row in reader:
            labels[row["commit_id"].strip()] = int(row["buggy"].strip().lower() in _TRUE)
    return labels


def links_read(path: str | Path) -> set[tuple[str, str]]:
    """Reference fix -> inducing pairs from a CSV with columns fix_hash and bug_hash."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"fix_hash", "bug_hash"} <= set(reader.fieldnames):
            raise LabelFileError(f"{path}: expected columns fix_hash and bug_hash, got {reader.fieldnames}")
        return {(row["fix_hash"].strip(), row["bug_hash"].strip()) for row in reader}


def label_file_fixes(path: str | Path) -> set[str] | None:
    """The commits a label file marks as fixes (an optional `fix` column, as in ApacheJIT),
    or None when the file has no such column."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "fix" not in reader.fieldnames:
            return None
        return {row["commit_id"].strip() for row in reader if (row["fix"] or "").strip().lower() in _TRUE}
