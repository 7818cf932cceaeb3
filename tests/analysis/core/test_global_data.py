"""The global model's training data rebuilt from fetched repositories, on two small made-up
ApacheJIT projects (a git history each, and an ApacheJIT repository that labels them)."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from analysis.core.global_data import (
    GlobalDataError,
    GlobalProject,
    global_model_train,
    missing_paths,
    project_data,
)
from analysis.core.global_model import GlobalRiskModel
from tests.analysis.gitrepo import GitRepo, lines

# The shared data folder beside the checkout; JIT_DERIVE_SCRIPT points elsewhere (a worktree).
DERIVE = Path(os.environ.get("JIT_DERIVE_SCRIPT")
              or Path(__file__).resolve().parents[3].parent / "shared" / "data" / "jit" / "derive_apachejit.py")
pytestmark = pytest.mark.skipif(not DERIVE.exists(), reason=f"derive_apachejit.py not found at {DERIVE}")
BEFORE_2019_ENDS = 1_546_300_800  # 2019-01-01: ApacheJIT keeps commits up to its year 2019


def project_history(path: Path, *, key: str, modules: int) -> tuple[GitRepo, dict[str, str]]:
    """Every third module arrives in one large commit by a newcomer and is fixed later; the fix
    names a Jira issue. Returns the repo and {inducing sha: fix sha}."""
    repo = GitRepo(path)
    repo.clock = BEFORE_2019_ENDS
    repo.commit("Initial layout", files={"README.md": f"{key}\n"})
    inducing = {}
    for index in range(modules):
        name = f"src/module{index}.java"
        if index % 3 == 0:
            body = [f"int f{k}() {{ return {k}; }}" for k in range(40)]
            bad = repo.commit(f"{key}-{index} Add module {index}", author=f"new{index}", files={name: lines(*body)})
            text = (repo.path / name).read_text().replace("return 3;", "return 4;")
            inducing[bad] = repo.commit(f"{key}-{index + 1000} Fix module {index}", author="regular",
                                        files={name: text})
        else:
            repo.commit(f"{key}-{index} Tweak {index}", author="regular", files={name: lines(f"int v = {index};")})
    return repo, inducing


def apachejit_repository(path: Path, projects: dict[str, tuple[GitRepo, dict[str, str]]]) -> Path:
    jit = GitRepo(path)
    keys, clean = ["commit_id"], ["commit_id"]
    files = {}
    for key, (repo, inducing) in projects.items():
        shas = repo.git("log", "--format=%H", "main").split()
        fixes = set(inducing.values())
        keys += [*inducing, *fixes]
        clean += [sha for sha in shas if sha not in inducing and sha not in fixes]
        files[f"data/{key}.csv"] = lines("issue_key,commit_id", *(f"{key}-1,{sha}" for sha in fixes))
        files[f"data/commit_links_{key}.csv"] = lines(
            "fix_hash,fix_date,bug_hash,bug_date,project", *(f"{fix},0,{bad},0,{key}" for bad, fix in inducing.items()))
    files["data/keys_apachejava_ast.csv"] = lines(*keys)
    files["data/keys_clean_ast.csv"] = lines(*clean)
    jit.commit("data", files=files)
    return jit.path / ".git"


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """A folder laid out as `fetch` leaves it, with two projects and the ApacheJIT repository."""
    mirrors = tmp_path_factory.mktemp("mirrors")
    projects = {key: project_history(mirrors / f"example+{key.lower()}" / "repo", key=key, modules=modules)
                for key, modules in (("ALPHA", 45), ("BETA", 36))}
    apachejit = apachejit_repository(mirrors / "hosseinkshvrz+apachejit" / "repo", projects)
    return mirrors, apachejit, projects


def alpha_and_beta() -> list[GlobalProject]:
    return [GlobalProject(key.lower(), f"example/{key.lower()}", "main", (key,)) for key in ("ALPHA", "BETA")]


def test_a_project_gets_apachejits_labels_and_our_features_of_every_labelled_commit(fetched, tmp_path):
    mirrors, apachejit, projects = fetched
    _, inducing = projects["ALPHA"]

    data = project_data(alpha_and_beta()[0], mirrors=mirrors, apachejit=apachejit, derive_script=DERIVE,
                        work_dir=tmp_path)

    assert {commit.sha for commit in data.commits if commit.label} == set(inducing)
    fixes = {commit.sha for commit in data.commits if commit.features["fix"]}
    assert fixes == set(inducing.values())
    assert all("la_pct" in commit.features for commit in data.commits)
    assert len(data.root_commits) == 1 and missing_paths(mirrors / "example+alpha" / "repo" / ".git", "main") == []


def test_the_features_are_cached_by_the_branchs_head(fetched, tmp_path):
    mirrors, apachejit, _ = fetched
    project = alpha_and_beta()[1]
    first = project_data(project, mirrors=mirrors, apachejit=apachejit, derive_script=DERIVE, work_dir=tmp_path)
    said = []

    again = project_data(project, mirrors=mirrors, apachejit=apachejit, derive_script=DERIVE, work_dir=tmp_path,
                         report=said.append)

    assert again.commits == first.commits and "features from" in said[0]


def test_kafka_and_zeppelin_are_never_trained_on(fetched, tmp_path):
    mirrors, apachejit, _ = fetched

    with pytest.raises(GlobalDataError, match="reserved"):
        project_data(GlobalProject("kafka", "example/alpha", "main", ("KAFKA",)), mirrors=mirrors,
                     apachejit=apachejit, derive_script=DERIVE, work_dir=tmp_path)


def test_the_model_learns_from_every_project_and_reports_each_left_out(fetched, tmp_path):
    mirrors, apachejit, _ = fetched
    groups = [project_data(project, mirrors=mirrors, apachejit=apachejit, derive_script=DERIVE, work_dir=tmp_path)
              for project in alpha_and_beta()]

    model = global_model_train(groups, rounds=20)

    assert model.projects == ["alpha", "beta"] and set(model.leave_one_out) == {"alpha", "beta", "mean"}
    assert 0 <= model.leave_one_out["alpha"] <= 1 and model.leave_one_out["mean"] == pytest.approx(
        (model.leave_one_out["alpha"] + model.leave_one_out["beta"]) / 2, abs=1e-4)
    again = GlobalRiskModel.from_bytes(model.to_bytes())
    assert again.version == model.version and again.trained_on == model.trained_on
    assert global_model_train(groups, rounds=20).to_bytes() == model.to_bytes()  # reproducible


def test_risk_train_global_writes_the_model_file_and_prints_the_leave_one_out_aucs(fetched, tmp_path, capsys,
                                                                                    monkeypatch):
    mirrors, apachejit, _ = fetched
    monkeypatch.setattr("analysis.management.commands.risk_train_global.GLOBAL_PROJECTS", tuple(alpha_and_beta()))
    out = tmp_path / "model.json.gz"

    call_command("risk_train_global", "--mirrors", str(mirrors), "--apachejit", str(apachejit),
                 "--derive-script", str(DERIVE), "--work-dir", str(tmp_path / "work"), "--out", str(out))

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(summary["projects"]) == {"alpha", "beta"} and 0 <= summary["leave_one_out_mean_auc"] <= 1
    assert GlobalRiskModel.from_bytes(out.read_bytes()).version == summary["version"]
