"""Reader for the TSE 2018 sprint data set (Choetkiertikul et al., "Predicting delivery capability
in iterative software development").

Layout: one folder per project holding `<project>_iteration_<p>.csv` (one row per sprint, counters
observed at p % of the sprint, target `vel_diff` = delivered velocity minus the scope committed at p %)
and `<project>_issue_<p>.csv` (one row per issue of a sprint).

The issue files list every issue the sprint ever held, including those added after p % (the list is
identical at 0, 30, 50 and 80 %, and it holds more issues than the sprint had at 0 % in
54-84 % of the sprints); only their counters are snapshots at p %. Their aggregates therefore describe
the sprint's final scope: they are kept apart in `Sprint.issues`, not in `Sprint.features`, so that a
forecast uses them only once the sprint is over. The exports carry no issue key, so the
`*_issuelink_<p>.csv` files cannot be joined to the issues and are not read. Pure module: no Django import.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHECKPOINTS: tuple[int, ...] = (0, 30, 50, 80)

ITERATION_NUMERIC = (
    "planday",
    "no_issue_starttime",
    "vel_starttime",
    "no_issue_added",
    "vel_added",
    "no_issue_removed",
    "vel_removed",
    "no_issuetodo",
    "vel_todo",
    "no_issueinprogress",
    "vel_inprogress",
    "no_issuedone",
    "vel_done",
    "no_admin",
    "no_teammember",
)
ISSUE_NUMERIC = (
    "no_comment",
    "no_affectversion",
    "no_fixversion",
    "no_issuelink",
    "no_blocking",
    "no_blockedby",
    "no_fixversion_change",
    "no_priority_change",
    "no_des_change",
)
ISSUE_TYPES = ("bug", "story", "task", "sub-task", "improvement", "new feature")
PRIORITIES = ("blocker", "critical", "major", "minor", "trivial")
READABILITY = ("easy", "medium", "hard")


class TseDataError(ValueError):
    """The folder does not look like the TSE 2018 sprint data set."""


@dataclass
class Sprint:
    project: str
    board_id: int
    sprint_id: int
    name: str
    vel_diff: float
    # Counters observed at the checkpoint: known while the sprint runs.
    features: dict[str, float] = field(default_factory=dict)
    # Aggregates over every issue the sprint ever held, added later ones included: known once it ends.
    issues: dict[str, float] = field(default_factory=dict)


def _read_rows(path: Path, name_column: int | None) -> list[dict[str, str]]:
    """Rows as dicts. Sprint names may hold unquoted commas: the extra fields are folded back into
    the name column, because every other column is numeric and fixed in position."""
    try:
        return _read_fields(path, name_column)
    except csv.Error as error:
        raise TseDataError(f"{path}: not a readable CSV export: {error}") from error


def _read_fields(path: Path, name_column: int | None) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    # The exports mix encodings; latin-1 never fails and the text columns are not used as features.
    with path.open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            raise TseDataError(f"{path}: no header row")
        for fields in reader:
            if not fields:
                continue
            extra = len(fields) - len(header)
            if extra > 0:
                if name_column is None:
                    raise TseDataError(f"{path}: row has {len(fields)} fields, header has {len(header)}")
                end = name_column + extra + 1
                fields = [*fields[:name_column], ",".join(fields[name_column:end]), *fields[end:]]
            if len(fields) != len(header):
                raise TseDataError(f"{path}: row has {len(fields)} fields, header has {len(header)}")
            rows.append(dict(zip(header, fields, strict=True)))
    return rows


def _issue_aggregates(path: Path) -> dict[tuple[int, int], dict[str, float]]:
    """Per (board, sprint): issue count, type/priority/readability mix, and means of the counters."""
    sums: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    rows = _read_rows(path, name_column=None)
    with _row_errors(path):
        for row in rows:
            _issue_add(sums, row)
    result: dict[tuple[int, int], dict[str, float]] = {}
    for key, agg in sums.items():
        count = agg["issues"]
        features = {"issues": count}
        for name in [f"type_{t}" for t in (*ISSUE_TYPES, "other")] + [f"prio_{p}" for p in (*PRIORITIES, "other")]:
            features[name + "_share"] = agg.get(name, 0.0) / count
        for level in READABILITY:
            features[f"fog_{level}_share"] = agg.get("fog_" + level, 0.0) / count
        for column in ISSUE_NUMERIC:
            features["mean_" + column] = agg["sum_" + column] / count
            features["sum_" + column] = agg["sum_" + column]
        result[key] = features
    return result


def _issue_add(sums: dict[tuple[int, int], dict[str, float]], row: dict[str, str]) -> None:
    agg = sums[(int(row["boardid"]), int(row["sprintid"]))]
    agg["issues"] += 1
    kind = row["type"].strip().lower()
    agg["type_" + (kind if kind in ISSUE_TYPES else "other")] += 1
    priority = row["priority"].strip().lower()
    agg["prio_" + (priority if priority in PRIORITIES else "other")] += 1
    fog = row["gunning_fog"].strip().lower()
    if fog in READABILITY:
        agg["fog_" + fog] += 1
    for column in ISSUE_NUMERIC:
        agg["sum_" + column] += float(row[column] or 0)


@contextmanager
def _row_errors(path: Path) -> Iterator[None]:
    """A missing column or a number that does not parse is the file's fault: TseDataError."""
    try:
        yield
    except TseDataError:
        raise
    except (KeyError, ValueError) as error:
        raise TseDataError(f"{path}: unexpected column or value: {error!r}"[:500]) from error


def _project_files(project_dir: Path, kind: str, checkpoint: int) -> Path:
    matches = sorted(project_dir.glob(f"*_{kind}_{checkpoint}.csv"))
    if not matches:
        raise TseDataError(f"{project_dir}: no *_{kind}_{checkpoint}.csv")
    return matches[0]


def load_sprints(project_dir: Path, checkpoint: int) -> list[Sprint]:
    """Sprints of one project at one checkpoint, ordered by sprint id (Jira assigns ids in creation
    order, the only time order the data set keeps)."""
    iterations = _read_rows(_project_files(project_dir, "iteration", checkpoint), name_column=2)
    issue_path = sorted(project_dir.glob(f"*_issue_{checkpoint}.csv"))
    issues = _issue_aggregates(issue_path[0]) if issue_path else {}
    sprints: list[Sprint] = []
    with _row_errors(project_dir):
        for row in iterations:
            board, sprint = int(row["boardid"]), int(row["sprintid"])
            features = {name: float(row[name] or 0) for name in ITERATION_NUMERIC}
            aggregates = issues.get((board, sprint), {"issues": 0.0})
            sprints.append(
                Sprint(project_dir.name, board, sprint, row["name"], float(row["vel_diff"]), features, aggregates)
            )
    sprints.sort(key=lambda s: (s.sprint_id, s.board_id))
    return sprints


def project_dirs(root: Path) -> list[Path]:
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*_iteration_*.csv")))
    if not dirs:
        raise TseDataError(f"{root}: no project folders with *_iteration_<p>.csv files")
    return dirs
