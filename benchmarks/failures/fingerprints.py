"""Measure how often a failure fingerprint makes two *different* failures look the same.

A real failure is called FLAKY when its fingerprint was seen on unrelated commits
(`triage.failures.core.attribution`). If the fingerprint is too coarse, a different failure seen
elsewhere counts as such a sighting, and the author is told to re-run instead of fixing a
bug: the worst attribution error. Labelled logs show how often that happens without any
labelled attribution data: two logs of one repository whose labelled root-cause lines say
the same thing (after `normalise_line`) are the same failure, otherwise different ones.

Each log is analysed once, by the production path (`analyse_log(text).fingerprint`), and
every pair of logs in the same group (repository) is compared:

* `fingerprint_precision`: of the pairs with equal (non-empty) fingerprints, the share
  that are really the same failure; `false_same_pairs` are the others;
* `fingerprint_recall`: of the pairs that are the same failure, the share with equal
  fingerprints (a repeated failure must keep its fingerprint to be recognised);
* `gated.specific_fingerprint_precision`: the precision on pairs whose fingerprints are both
  specific enough for the attribution to compare them (confidence gate);
* `real_failure_called_flaky_rate`: the share of logs with at least one other log of the
  group that has an equal fingerprint but a different labelled failure — a false sighting;
* `gated.real_failure_called_flaky_rate`: the share of logs `attribute_failure` calls
  FLAKY with the other logs of the group as sightings, but would not call FLAKY if the
  sightings' fingerprints were equal exactly when the failure is the same. The other logs
  count as unrelated commits within the window and not on the base branch (LogChunks has
  no dates nor branches: the worst case), so the attribution's own gates apply: a
  fingerprint confidence of at least `MIN_FINGERPRINT_CONFIDENCE` and at least
  `MIN_UNRELATED_COMMITS` sightings.

Framework-free: no Django import.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.failures.root_causes import BenchmarkDataError, LabelledLog, load_labelled
from triage.failures.core.analysis import analyse_log
from triage.failures.core.attribution import (
    MIN_FINGERPRINT_CONFIDENCE,
    MIN_UNRELATED_COMMITS,
    Attribution,
    AttributionFacts,
    FailureSighting,
    attribute_failure,
)
from triage.failures.core.fingerprint import FINGERPRINT_LINES
from triage.failures.core.logtext import clean_text
from triage.failures.core.rootcause import normalise_line

EXAMPLES = 10  # names of false pairs and of logs called FLAKY shown in the report
_FAILED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # every sighting is within the window


@dataclass(frozen=True)
class FingerprintedLog:
    name: str
    group: str
    failure: str  # the labelled lines, normalised: equal strings are the same failure
    fingerprint: str
    fingerprint_confidence: float


def labelled_failure(case: LabelledLog) -> str:
    """The labelled lines of `case`, cleaned and normalised, blank lines left out."""
    lines = clean_text(case.text).split("\n")
    normalised = (normalise_line(lines[n - 1]) for n in sorted(case.labelled) if 1 <= n <= len(lines))
    return "\n".join(line for line in normalised if line)


def fingerprint_log(case: LabelledLog) -> FingerprintedLog:
    """`case` with the fingerprint the production analysis computes for it."""
    analysis = analyse_log(case.text, case.passed_text)
    return FingerprintedLog(case.name, case.group, labelled_failure(case), analysis.fingerprint,
                            analysis.fingerprint_confidence)


Progress = Callable[[Sequence[LabelledLog]], Iterable[LabelledLog]]


def fingerprint_logs(cases: Sequence[LabelledLog], *, one_group: bool = False,
                     progress: Progress | None = None) -> list[FingerprintedLog]:
    """Fingerprint every case; `one_group` compares all of them with each other (logs of
    different jobs of one project, such as the pytorch fixtures)."""
    logs = [fingerprint_log(case) for case in (progress(cases) if progress else cases)]
    if one_group:
        logs = [FingerprintedLog(log.name, "all", log.failure, log.fingerprint, log.fingerprint_confidence)
                for log in logs]
    return logs


def _same_fingerprint(a: FingerprintedLog, b: FingerprintedLog) -> bool:
    return bool(a.fingerprint) and a.fingerprint == b.fingerprint  # no fingerprint, no sighting


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None  # undefined, not zero, without a whole


def _verdict(log: FingerprintedLog, others: Sequence[FingerprintedLog],
             fingerprint_of: Callable[[int, FingerprintedLog], str]) -> Attribution:
    sightings = [FailureSighting(sha=other.name, fingerprint=fingerprint_of(i, other), seen_at=_FAILED_AT)
                 for i, other in enumerate(others)]
    facts = AttributionFacts(sha=log.name, job_name="job", fingerprint=log.fingerprint,
                             fingerprint_confidence=log.fingerprint_confidence, failed_at=_FAILED_AT,
                             sightings=sightings)
    return attribute_failure(facts).attribution


def called_flaky_by_other_failures(log: FingerprintedLog, others: Sequence[FingerprintedLog]) -> bool:
    """Whether the attribution calls `log` FLAKY on the sightings `others`, and would not if
    the fingerprints told the same failure from a different one exactly."""
    if _verdict(log, others, lambda _, other: other.fingerprint) is not Attribution.FLAKY:
        return False
    exact = _verdict(log, others, lambda i, other: log.fingerprint if other.failure == log.failure else f"other:{i}")
    return exact is not Attribution.FLAKY


def evaluate_fingerprints(logs: Iterable[FingerprintedLog]) -> dict:
    """Pairwise agreement of fingerprints with labels within each group (see module docstring)."""
    groups: dict[str, list[FingerprintedLog]] = defaultdict(list)
    for log in logs:
        groups[log.group].append(log)
    n = pairs = same_failure = same_fingerprint = true_same = specific_same = specific_true = 0
    false_pairs: list[tuple[str, str]] = []
    falsely_sighted: set[str] = set()
    gated: list[str] = []
    for members in groups.values():
        n += len(members)
        for a, b in itertools.combinations(members, 2):
            pairs += 1
            same = a.failure == b.failure
            equal = _same_fingerprint(a, b)
            same_failure += same
            same_fingerprint += equal
            true_same += same and equal
            specific = min(a.fingerprint_confidence, b.fingerprint_confidence) >= MIN_FINGERPRINT_CONFIDENCE
            if equal and specific:
                specific_same += 1
                specific_true += same
            if equal and not same:
                false_pairs.append((not specific, a.name, b.name))  # the ones attribution would use first
                falsely_sighted.update((a.name, b.name))
        for log in members:
            if called_flaky_by_other_failures(log, [other for other in members if other is not log]):
                gated.append(log.name)
    all_logs = [log for members in groups.values() for log in members]
    specific = [log for log in all_logs if log.fingerprint and log.fingerprint_confidence >= MIN_FINGERPRINT_CONFIDENCE]
    return {
        "logs": n,
        "groups": len(groups),
        "pairs": pairs,
        "same_failure_pairs": same_failure,
        "same_fingerprint_pairs": same_fingerprint,
        "true_same_pairs": true_same,
        "false_same_pairs": len(false_pairs),
        "fingerprint_precision": _ratio(true_same, same_fingerprint),
        "fingerprint_recall": _ratio(true_same, same_failure),
        "empty_fingerprints": sum(not log.fingerprint for log in all_logs),
        "real_failure_called_flaky": len(falsely_sighted),
        "real_failure_called_flaky_rate": _ratio(len(falsely_sighted), n),
        "gated": {
            "min_fingerprint_confidence": MIN_FINGERPRINT_CONFIDENCE,
            "min_unrelated_commits": MIN_UNRELATED_COMMITS,
            "specific_fingerprints": len(specific),
            "specific_same_fingerprint_pairs": specific_same,
            "specific_fingerprint_precision": _ratio(specific_true, specific_same),
            "real_failure_called_flaky": len(gated),
            "real_failure_called_flaky_rate": _ratio(len(gated), n),
            "real_failure_called_flaky_logs": sorted(gated)[:EXAMPLES],
        },
        "false_same_examples": [[a, b] for _, a, b in sorted(false_pairs)[:EXAMPLES]],
    }


def run_fingerprint_evaluation(*, kind: str, directory: Path, logs_dir: Path | None = None,
                               progress: Progress | None = None) -> dict:
    """Load labelled logs of `kind` and evaluate the fingerprints on them.

    `logchunks`: `directory` holds `labels/` and `logs.tar.xz`, unpacked into `logs_dir`
    if that is empty; logs are paired within their repository. `marked`: a folder of logs
    with one `#=MATCH=#` cause line each (the pytorch fixtures): all logs are paired, as
    different jobs of one project.
    """
    if kind not in {"logchunks", "marked"}:
        raise BenchmarkDataError(f"unknown kind of labelled logs {kind!r}")
    labels = directory / "labels" if (directory / "labels").is_dir() else directory
    cases, unmatched = load_labelled(kind, directory, logs_dir, labels_dir=labels)
    logs = fingerprint_logs(cases, one_group=kind == "marked", progress=progress)
    return {"kind": kind, "fingerprint_lines": FINGERPRINT_LINES, "unmatched_labels": len(unmatched),
            **evaluate_fingerprints(logs)}
