"""The training data of the global commit-risk model, rebuilt from fetched repositories.

Labels are ApacheJIT's (MSR 2022): `derive_apachejit.py` (in the shared data folder) writes
them for one project from the ApacheJIT repository and the project's git history. Features
are ours: every commit of the project's branch is read oldest first and gets Kamei's features
and their percentiles among the earlier commits, exactly as an ingested repository does; the
labelled ones are kept. FIX is ApacheJIT's: the commit fixes an issue its Jira types as a bug,
which GitInsight knows from a tracker mapping or from GitHub issues labelled bug.

Kafka and Zeppelin are reserved for an independent check and are refused here; ZooKeeper is
left out so that `risk_evaluate` can measure the global model on a project it never saw.

Pure Python (git and the derivation script run as subprocesses); no Django."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from analysis.core.bugfix import FixDetector
from analysis.core.calibration import ages_at, discovery_curve_fit, platt_fit
from analysis.core.git_history import commits_from_clone
from analysis.core.global_model import (
    GLOBAL_ROUNDS,
    GlobalRiskModel,
    TrainedOn,
    global_fit,
    global_matrix,
)
from analysis.core.kamei import FEATURE_VERSION
from analysis.core.relative import features_with_percentiles_in_time_order

#: ApacheJIT keeps commits up to its year 2019, which ends here (its derivation script's bound);
#: labels are as of that date, so a commit's age on it says how much of its bugs were found.
APACHEJIT_LABELS_AT = 1577876400
RESERVED_KEYS = frozenset({"KAFKA", "ZEPPELIN"})
EVALUATION_KEYS = frozenset({"ZOOKEEPER"})


class GlobalDataError(RuntimeError):
    pass


@dataclass(frozen=True)
class GlobalProject:
    """One ApacheJIT project: its name, the GitHub repository whose snapshot is read (a fork
    when the upstream's snapshot is too large to fetch; the commits are the same), the branch
    holding ApacheJIT's commits, and its ApacheJIT keys (Hadoop's HDFS and MapReduce issues
    share one repository)."""

    name: str
    repository: str
    branch: str
    keys: tuple[str, ...]


GLOBAL_PROJECTS: tuple[GlobalProject, ...] = (
    GlobalProject("activemq", "apache/activemq", "main", ("AMQ",)),
    GlobalProject("cassandra", "pcmanus/cassandra", "C-12126-4.0", ("CASSANDRA",)),
    GlobalProject("flink", "shuai-xu/flink", "master", ("FLINK",)),
    GlobalProject("groovy", "apache/groovy", "master", ("GROOVY",)),
    GlobalProject("hadoop", "an3m0na/hadoop", "trunk", ("HDFS", "MAPREDUCE")),
    GlobalProject("hbase", "Apache9/hbase", "master", ("HBASE",)),
)


@dataclass(frozen=True)
class LabelledCommit:
    sha: str
    timestamp: int
    features: dict[str, float]
    label: int


@dataclass(frozen=True)
class ProjectData:
    project: GlobalProject
    root_commits: tuple[str, ...]
    commits: list[LabelledCommit]

    @property
    def labels(self) -> np.ndarray:
        return np.array([commit.label for commit in self.commits], dtype=int)

    def trained_on(self) -> TrainedOn:
        return TrainedOn(project=self.project.name, repository=self.project.repository, branch=self.project.branch,
                         root_commits=self.root_commits, labelled=len(self.commits),
                         bug_inducing=int(self.labels.sum()))


def git_dir(mirrors: Path, repository: str) -> Path:
    """Where `fetch` put a repository: <mirrors>/<owner>+<name>/repo, bare or with a .git."""
    base = mirrors / repository.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").exists():
            return candidate
    raise GlobalDataError(f"{repository} is not fetched (looked for {base})")


def _git(gitdir: Path, *args: str) -> str:
    result = subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise GlobalDataError(f"git {' '.join(args[:2])} failed in {gitdir}: {result.stderr.strip()}")
    return result.stdout


def missing_paths(gitdir: Path, branch: str) -> list[str]:
    """Paths whose content the snapshot lacks (files of 4 MiB and more): git cannot count
    their lines, so they are left out of every commit."""
    objects = _git(gitdir, "rev-list", "--objects", "--missing=print", "--end-of-options", f"refs/heads/{branch}")
    missing = {line[1:].strip() for line in objects.splitlines() if line.startswith("?")}
    if not missing:
        return []
    paths: set[str] = set()
    # --raw without rename detection reads no file content: old and new blob ids, then the path.
    log = _git(gitdir, "log", "--raw", "--no-abbrev", "--no-renames", "--format=", "--end-of-options",
               f"refs/heads/{branch}")
    for line in log.splitlines():
        if not line.startswith(":") or "\t" not in line:
            continue
        meta, path = line.split("\t", 1)
        fields = meta.split()
        if fields[2] in missing or fields[3] in missing:
            paths.add(path)
    return sorted(paths)


def labels_derive(
    project: GlobalProject, *, apachejit: Path, gitdir: Path, derive_script: Path, out: Path,
) -> tuple[dict[str, int], set[str]]:
    """ApacheJIT's labels of the project (sha -> 0/1) and its fix commits, through the shared
    derivation script; a commit is bug-inducing when any of the project's keys says so."""
    labels: dict[str, int] = {}
    fixes: set[str] = set()
    for key in project.keys:
        if key in RESERVED_KEYS:
            raise GlobalDataError(f"{key} is reserved for an independent check: never train on it")
        folder = out / key
        if not (folder / "reference_labels.csv").exists():
            result = subprocess.run(
                [sys.executable, str(derive_script), key, str(apachejit), str(gitdir), project.branch, str(folder)],
                capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise GlobalDataError(f"deriving {key} failed: {result.stderr.strip()[-500:]}")
        with open(folder / "reference_labels.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                sha = row["commit_id"]
                labels[sha] = max(labels.get(sha, 0), int(row["buggy"] == "True"))
                if row["fix"] == "True":
                    fixes.add(sha)
    if not labels:
        raise GlobalDataError(f"{project.name}: no ApacheJIT commit on {project.repository} {project.branch}")
    return labels, fixes


def _cache_read(path: Path, head: str) -> dict | None:
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    if payload.get("head") != head or payload.get("feature_version") != FEATURE_VERSION:
        return None
    return payload


def project_data(
    project: GlobalProject,
    *,
    mirrors: Path,
    apachejit: Path,
    derive_script: Path,
    work_dir: Path,
    report: Callable[[str], None] = lambda message: None,
) -> ProjectData:
    """Labels and features of one project, cached in `work_dir` by the branch's head commit."""
    gitdir = git_dir(mirrors, project.repository)
    branch = f"refs/heads/{project.branch}"
    head = _git(gitdir, "rev-parse", "--verify", "--end-of-options", branch).strip()
    roots = tuple(sorted(_git(gitdir, "rev-list", "--max-parents=0", "--end-of-options", branch).split()))
    cache = work_dir / "features" / f"{project.name}.json.gz"
    cached = _cache_read(cache, head)
    if cached is not None:
        report(f"{project.name}: features from {cache}")
        commits = [LabelledCommit(sha, ts, features, label) for sha, ts, features, label in cached["commits"]]
        return ProjectData(project=project, root_commits=roots, commits=commits)

    labels, fixes = labels_derive(project, apachejit=apachejit, gitdir=gitdir, derive_script=derive_script,
                                  out=work_dir / "labels" / project.name)
    excluded = missing_paths(gitdir, project.branch)
    report(f"{project.name}: {len(labels)} labelled commits; reading {project.repository} {project.branch}"
           + (f" without {len(excluded)} paths the snapshot lacks" if excluded else ""))
    records = commits_from_clone(gitdir, revision=f"refs/heads/{project.branch}", exclude_paths=excluded)
    commits = [
        LabelledCommit(record.sha, record.timestamp, features, labels[record.sha])
        for record, features in features_with_percentiles_in_time_order(records, is_fix=FixDetector(fix_shas=fixes))
        if record.sha in labels
    ]
    cache.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(cache, "wt", encoding="utf-8") as handle:
        json.dump({"head": head, "feature_version": FEATURE_VERSION,
                   "commits": [[c.sha, c.timestamp, c.features, c.label] for c in commits]}, handle)
    return ProjectData(project=project, root_commits=roots, commits=commits)


def _weights(groups: Sequence[ProjectData]) -> np.ndarray:
    """Every project weighs the same in training, whatever its number of commits."""
    weights = np.concatenate([np.full(len(group.commits), 1.0 / len(group.commits)) for group in groups])
    return weights / weights.mean()


def _stack(groups: Sequence[ProjectData]) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack([global_matrix([c.features for c in group.commits]) for group in groups])
    y = np.concatenate([group.labels for group in groups])
    return X, y


@dataclass(frozen=True)
class LeftOut:
    project: str
    auc: float
    margins: np.ndarray


def leave_one_project_out(groups: Sequence[ProjectData], *, rounds: int = GLOBAL_ROUNDS) -> Iterator[LeftOut]:
    """For each project, the model trained on all the others, scored on it."""
    for held in groups:
        others = [group for group in groups if group is not held]
        X, y = _stack(others)
        booster = global_fit(X, y, _weights(others), rounds=rounds)
        margins = np.asarray(
            booster.inplace_predict(global_matrix([c.features for c in held.commits]), predict_type="margin"),
            dtype=float,
        )
        yield LeftOut(project=held.project.name, auc=float(roc_auc_score(held.labels, margins)), margins=margins)


def global_model_train(
    groups: Sequence[ProjectData], *, rounds: int = GLOBAL_ROUNDS, labels_at: int = APACHEJIT_LABELS_AT,
    report: Callable[[str], None] = lambda message: None,
) -> GlobalRiskModel:
    """Train on every project. The calibration learns from the leave-one-project-out scores,
    which are what a repository the model never saw gets; it is fitted on what the labels
    could show (the discovery curve, estimated from the projects' own labels by age)."""
    if len(groups) < 2:
        raise GlobalDataError("the global model needs at least two projects")
    ages = [ages_at([c.timestamp for c in group.commits], labels_at) for group in groups]
    discovery = discovery_curve_fit([(age, group.labels) for age, group in zip(ages, groups, strict=True)])
    left_out = []
    for result in leave_one_project_out(groups, rounds=rounds):
        report(f"{result.project}: leave-one-project-out AUC {result.auc:.4f}")
        left_out.append(result)
    margins = np.concatenate([result.margins for result in left_out])
    labels = np.concatenate([group.labels for group in groups])
    calibrator = platt_fit(margins, labels, found_share=discovery.found_share(np.concatenate(ages)))
    X, y = _stack(groups)
    booster = global_fit(X, y, _weights(groups), rounds=rounds)
    aucs = {result.project: round(result.auc, 4) for result in left_out}
    model = GlobalRiskModel(
        booster=booster, calibrator=calibrator, discovery=discovery, version="",
        trained_on=tuple(group.trained_on() for group in groups),
        leave_one_out=aucs | {"mean": round(float(np.mean(list(aucs.values()))), 4)},
    )
    # The version names the content, so two builds from the same commits agree on it.
    model.version = "global-" + hashlib.sha256(model.to_bytes()).hexdigest()[:10]
    return model
