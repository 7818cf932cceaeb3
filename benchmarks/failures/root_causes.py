"""Measure root-cause location against logs whose cause lines a human marked.

Three layouts are read (see `manage.py ci_benchmark --help`): LogChunks (labels hold the
exact chunk text, which we map to line numbers), marked logs (`#=MATCH=#`) and case
folders (`failed.log`, optional `passed.log`, `label.json`). Every case becomes a
`LabelledLog`; `evaluate` runs the analyser on each and reports line-level precision,
recall and F1 of the predicted excerpt, and whether the first-ranked line is labelled.
"""

from __future__ import annotations

import gc
import html
import json
import re
import shutil
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from triage.failures.core.learned import ChunkExample, locate_with_examples
from triage.failures.core.logtext import clean_line, clean_text, decode_log
from triage.failures.core.rootcause import LineRange, rank_root_cause

EXCERPT_LINES = 20
HISTORY_EXAMPLES = 8  # confirmed root causes of a repository that a new log is compared with
EXCERPT_CONFIDENCE_RATIO = 0.9


class BenchmarkDataError(Exception):
    """The benchmark folder does not have the expected layout."""


@dataclass(frozen=True)
class LabelledLog:
    name: str  # e.g. "Python/nvbn@thefuck/failed/530361507.log"
    group: str  # the repository (or folder) the log comes from, for held-out splits
    text: str
    labelled: frozenset[int]  # 1-based line numbers that explain the failure
    passed_text: str | None = None


@dataclass(frozen=True)
class CaseResult:
    name: str
    group: str
    precision: float
    recall: float
    f1: float
    top1_hit: bool
    seconds: float


# --- loaders ---------------------------------------------------------------------------------

_EXAMPLE = re.compile(r"<ExampleDataOfString>(.*?)</ExampleDataOfString>", re.S)
_INPUT = re.compile(r"<InputPath>(.*?)</InputPath>", re.S)
_OUTPUT = re.compile(r"<Output>(.*?)</Output>", re.S)


def load_logchunks(labels_dir: Path, logs_dir: Path) -> tuple[list[LabelledLog], list[str]]:
    """LogChunks cases, and the names of those whose chunk could not be found in the log.

    The label XML files contain raw control characters (not valid XML 1.0), so they are
    read with regular expressions. The labelling tool dropped blank lines and may start
    or end a chunk mid-line, so the chunk is matched on its non-blank lines, the first
    as a line suffix and the last as a line prefix.
    """
    xml_files = sorted(labels_dir.rglob("*.xml"))
    if not xml_files:
        raise BenchmarkDataError(f"no label files (*.xml) under {labels_dir}")
    cases: list[LabelledLog] = []
    unmatched: list[str] = []
    for xml_file in xml_files:
        content = xml_file.read_text(encoding="utf-8", errors="replace")
        for example in _EXAMPLE.finditer(content):
            input_match, output_match = _INPUT.search(example.group(1)), _OUTPUT.search(example.group(1))
            if not input_match or not output_match:
                continue
            name = input_match.group(1).strip()
            log_path = logs_dir / name
            if not log_path.is_file():
                raise BenchmarkDataError(f"{log_path} is missing: unpack logs.tar.xz into {logs_dir}")
            text = decode_log(log_path.read_bytes())
            labelled = locate_chunk(text, html.unescape(output_match.group(1)))
            if labelled is None:
                unmatched.append(name)
                continue
            group = name.split("/failed/")[0]
            cases.append(LabelledLog(name=name, group=group, text=text, labelled=labelled))
    return cases, unmatched


def _key(line: str) -> str:
    return " ".join(line.split())


def locate_chunk(text: str, chunk: str) -> frozenset[int] | None:
    """1-based lines of `text` covered by the last occurrence of `chunk`, or None."""
    wanted = [k for k in (_key(clean_line(x)) for x in re.split(r"\r\n|\r|\n", chunk)) if k]
    if not wanted:
        return None
    numbered = [(i, _key(clean_line(x))) for i, x in enumerate(text.split("\n"))]
    numbered = [(i, k) for i, k in numbered if k]
    keys = [k for _, k in numbered]
    size = len(wanted)
    for j in range(len(keys) - size, -1, -1):
        if size == 1:
            hit = wanted[0] in keys[j]
        else:
            hit = (
                keys[j].endswith(wanted[0])
                and keys[j + size - 1].startswith(wanted[-1])
                and keys[j + 1 : j + size - 1] == wanted[1:-1]
            )
        if hit:
            return frozenset(range(numbered[j][0] + 1, numbered[j + size - 1][0] + 2))
    return None


MATCH_MARKER = "#=MATCH=#"
SOURCE_MARKER = "#=SOURCE=#"
_SPAN_OPEN, _SPAN_CLOSE = "\u2039", "\u203a"  # how the pytorch fixtures mark the matched span


def parse_marked(raw: str) -> tuple[str, frozenset[int]]:
    """Remove marker lines from a marked log; return its text and the marked lines.

    Two conventions exist: a line `#=MATCH=#` right after the cause line, or the cause
    line itself prefixed with `#=MATCH=# ` (the pytorch fixtures, which also wrap the
    matched span in single angle quotation marks, removed too). `#=SOURCE=#` lines are
    metadata and dropped.
    """
    kept: list[str] = []
    labelled: set[int] = set()
    for line in raw.split("\n"):
        if line.startswith(SOURCE_MARKER):
            continue
        if line.strip() == MATCH_MARKER:
            if kept:
                labelled.add(len(kept))
            continue
        if line.startswith(MATCH_MARKER):
            line = line[len(MATCH_MARKER) :].lstrip(" ")
            labelled.add(len(kept) + 1)
        kept.append(line.replace(_SPAN_OPEN, "").replace(_SPAN_CLOSE, ""))
    return "\n".join(kept), frozenset(labelled)


def load_marked(directory: Path) -> list[LabelledLog]:
    files = sorted(p for p in directory.iterdir() if p.suffix in {".txt", ".log"} and p.is_file())
    cases = []
    for path in files:
        text, labelled = parse_marked(decode_log(path.read_bytes()))
        if labelled:
            cases.append(LabelledLog(name=path.name, group=path.stem, text=text, labelled=labelled))
    if not cases:
        raise BenchmarkDataError(f"no log with a {MATCH_MARKER} marker in {directory}")
    return cases


def load_cases(directory: Path) -> list[LabelledLog]:
    cases = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        failed, label = folder / "failed.log", folder / "label.json"
        if not failed.is_file() or not label.is_file():
            raise BenchmarkDataError(f"{folder} needs failed.log and label.json")
        span = json.loads(label.read_text())
        start, end = int(span["start"]), int(span["end"])
        if start < 1 or end < start:
            raise BenchmarkDataError(f"{label}: start/end must be 1-based with start <= end")
        passed = folder / "passed.log"
        cases.append(
            LabelledLog(
                name=folder.name,
                group=folder.name,
                text=decode_log(failed.read_bytes()),
                labelled=frozenset(range(start, end + 1)),
                passed_text=decode_log(passed.read_bytes()) if passed.is_file() else None,
            )
        )
    if not cases:
        raise BenchmarkDataError(f"no case folders in {directory}")
    return cases


# --- evaluation ------------------------------------------------------------------------------


def excerpt_lines(ranges: Sequence[LineRange], limit: int = EXCERPT_LINES) -> list[int]:
    """Line numbers shown as the predicted excerpt, `limit` lines at most.

    The first range, then the other ranges the analyser is nearly as sure of
    (`EXCERPT_CONFIDENCE_RATIO` of the first's confidence), in rank order.
    """
    if not ranges:
        return []
    threshold = ranges[0].confidence * EXCERPT_CONFIDENCE_RATIO
    chosen: list[int] = []
    seen: set[int] = set()
    for position, line_range in enumerate(ranges):
        if position and line_range.confidence < threshold:
            continue
        for line in line_range.lines():
            if len(chosen) >= limit:
                return chosen
            if line not in seen:
                seen.add(line)
                chosen.append(line)
    return chosen


Analyser = Callable[[LabelledLog], list[LineRange]]


def default_analyser(case: LabelledLog) -> list[LineRange]:
    return rank_root_cause(case.text, passed_raw=case.passed_text)


def _job_number(case: LabelledLog) -> tuple[int, str]:
    stem = Path(case.name).stem
    return (int(stem), case.name) if stem.isdigit() else (0, case.name)


def example_of(case: LabelledLog) -> ChunkExample:
    """The example a maintainer confirming this case's labelled lines would leave."""
    lines = clean_text(case.text).split("\n")

    def line_text(number: int) -> str | None:
        return lines[number - 1] if 1 <= number <= len(lines) else None

    return ChunkExample.from_lines(line_text, min(case.labelled), max(case.labelled))


def repository_histories(cases: Iterable[LabelledLog], limit: int = HISTORY_EXAMPLES) -> dict[str, list[ChunkExample]]:
    """For each case, the examples of the earlier cases of its repository, newest first.

    Job numbers order the logs of a repository in time, so a log is only ever compared
    with root causes confirmed before it ran, as it would be in use.
    """
    by_group: dict[str, list[LabelledLog]] = {}
    for case in cases:
        by_group.setdefault(case.group, []).append(case)
    histories: dict[str, list[ChunkExample]] = {}
    for group_cases in by_group.values():
        earlier: list[ChunkExample] = []
        for case in sorted(group_cases, key=_job_number):
            histories[case.name] = earlier[::-1][:limit]
            earlier.append(example_of(case))
    return histories


def history_analyser(histories: dict[str, list[ChunkExample]]) -> Analyser:
    """Rules, plus the repository's earlier confirmed root causes recognised in the log."""

    def analyse(case: LabelledLog) -> list[LineRange]:
        return locate_with_examples(case.text, histories.get(case.name, ()), passed_raw=case.passed_text)[2]

    return analyse


def _timed(analyser: Analyser, case: LabelledLog) -> tuple[list[LineRange], float]:
    """The analyser's ranges and its time, without the garbage collector's pauses (as `timeit`
    does): with hundreds of logs held in memory, a collection that happens to start during one
    log would be charged to it, though analysing one log in use allocates little."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        ranges = analyser(case)
        return ranges, time.perf_counter() - started
    finally:
        if enabled:
            gc.enable()


def evaluate_case(case: LabelledLog, analyser: Analyser = default_analyser) -> CaseResult:
    ranges, seconds = _timed(analyser, case)
    predicted = set(excerpt_lines(ranges))
    hits = len(predicted & case.labelled)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(case.labelled)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    top1 = bool(ranges) and ranges[0].anchor in case.labelled
    return CaseResult(case.name, case.group, precision, recall, f1, top1, seconds)


def evaluate(cases: Iterable[LabelledLog], analyser: Analyser = default_analyser) -> Iterator[CaseResult]:
    for case in cases:
        yield evaluate_case(case, analyser)


def _harmonic(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


def summarise(results: list[CaseResult]) -> dict[str, float | int]:
    """Mean per-log precision, recall and F1 (each log weighs the same), top-1 hit rate, timing.

    `f1` is the mean of the per-log F1 scores, the stricter of the two usual definitions.
    """
    n = len(results)
    if n == 0:
        return {"n": 0}
    return {
        "n": n,
        "precision": round(sum(r.precision for r in results) / n, 4),
        "recall": round(sum(r.recall for r in results) / n, 4),
        "f1": round(sum(r.f1 for r in results) / n, 4),
        # The harmonic mean of mean precision and mean recall, as some papers report it.
        "f1_of_means": round(_harmonic(sum(r.precision for r in results) / n, sum(r.recall for r in results) / n), 4),
        "top1_hit": round(sum(r.top1_hit for r in results) / n, 4),
        "seconds_per_log": round(sum(r.seconds for r in results) / n, 5),
        "seconds_max": round(max(r.seconds for r in results), 5),
    }


def split_halves(results: list[CaseResult]) -> dict[str, dict[str, float | int]]:
    """Summaries on two halves split by group (repository), alternating in name order.

    Rules were written looking at all the data; a large gap between the halves would
    show that they fit some repositories rather than the tools those repositories use.
    """
    groups = sorted({r.group for r in results})
    second = set(groups[1::2])
    return {
        "half_a": summarise([r for r in results if r.group not in second]),
        "half_b": summarise([r for r in results if r.group in second]),
    }


def unpack_logchunks(archive: Path, target: Path) -> None:
    """Unpack the LogChunks `logs.tar.xz` into `target` unless it is already there. The logs
    are unpacked beside it and moved into place whole, so that an interrupted run leaves no
    half-filled `target` for the next one to take as complete."""
    if target.is_dir() and any(target.iterdir()):
        return
    if not archive.is_file():
        raise BenchmarkDataError(f"{archive} is missing and {target} is empty")
    partial = target.parent / f"{target.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(partial, filter="data")
    if target.is_dir():
        target.rmdir()  # empty, as checked above
    partial.rename(target)


def load_labelled(
    kind: str, directory: Path, logs_dir: Path | None = None, *, labels_dir: Path | None = None
) -> tuple[list[LabelledLog], list[str]]:
    """The labelled logs of `kind` (logchunks, marked, cases) in `directory`, and the names of
    the LogChunks logs whose chunk was not found. LogChunks logs are unpacked into `logs_dir`
    if it is empty; their labels are in `labels_dir`, by default `directory/labels`."""
    if kind == "logchunks":
        if logs_dir is None:
            raise BenchmarkDataError("--logchunks needs the folder the logs are unpacked into")
        unpack_logchunks(directory / "logs.tar.xz", logs_dir)
        return load_logchunks(labels_dir or directory / "labels", logs_dir)
    if kind == "marked":
        return load_marked(directory), []
    if kind == "cases":
        return load_cases(directory), []
    raise BenchmarkDataError(f"unknown benchmark kind {kind!r}")


def run_benchmark(
    *,
    kind: str,
    directory: Path,
    logs_dir: Path | None = None,
    limit: int | None = None,
    progress: Callable[[Iterable[LabelledLog], int], Iterable[LabelledLog]] | None = None,
) -> dict[str, object]:
    """Load the cases of `kind` (logchunks, marked, cases) from `directory` and score them."""
    cases, unmatched = load_labelled(kind, directory, logs_dir)
    if limit is not None:
        cases = cases[:limit]
    iterable: Iterable[LabelledLog] = progress(cases, len(cases)) if progress else cases
    if kind != "logchunks":
        results = list(evaluate(iterable))
        return {"kind": kind, **summarise(results), "excerpt_lines": EXCERPT_LINES}
    # LogChunks holds about ten logs per repository: each is analysed as it would be in use,
    # with the root causes confirmed on the repository's earlier logs, and by the rules alone.
    histories = repository_histories(cases)
    results = list(evaluate(iterable, history_analyser(histories)))
    rules_only = list(evaluate(cases))
    with_history = {r.name for r in results if histories.get(r.name)}
    return {
        "kind": kind,
        **summarise(results),
        "excerpt_lines": EXCERPT_LINES,
        "history_examples": HISTORY_EXAMPLES,
        "unmatched_labels": len(unmatched),
        **split_halves(results),
        "first_log_of_repository": summarise([r for r in results if r.name not in with_history]),
        "rules_only": {**summarise(rules_only), **split_halves(rules_only)},
    }
