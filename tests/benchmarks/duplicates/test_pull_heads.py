import shutil
from pathlib import Path

import pytest

from benchmarks.duplicates.competing_eval import competing_figures
from benchmarks.duplicates.pull_heads import PullHeadItem, attach_commit_facts, read_pull_heads
from benchmarks.duplicates.replay_items import replay_items
from benchmarks.duplicates.replay_run import measure, replay_of, repository_name
from benchmarks.duplicates.snapshot import missing_objects, readable
from benchmarks.duplicates.truth import origins_in, title_core, truth_of
from tests.benchmarks.duplicates.git_history import GEO, GUARDED, commit, git, history_with_pull_requests

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "acme+rocket" / "repo"
    repo.mkdir(parents=True)
    return repo, history_with_pull_requests(repo)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one commit on main and a release branch cut from it."""
    repo = tmp_path / "acme+rocket" / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "src/geo.py", GEO, "Add geometry", when=0)
    git(repo, "branch", "release")
    return repo


def _heads(items):
    return {item.number: item for item in items if isinstance(item, PullHeadItem)}


def test_it_reads_each_pull_request_head_as_its_whole_change_from_where_it_left_its_base(mirror):
    repo, shas = mirror
    heads = {item.number: item for item in read_pull_heads(repo).items}
    assert sorted(heads) == [2, 3, 4, 5]
    assert heads[2].landed_by == shas["merge"] and heads[2].base == shas["root"]
    assert heads[2].title == "Reject negative sizes"  # the title GitHub gave it, from its merge commit
    assert heads[5].landed_by == "" and heads[5].own_commits == [shas["again"]]
    # the same change proposed twice over the same base has one patch-id
    assert heads[5].patch_id == heads[2].patch_id and heads[3].patch_id != heads[2].patch_id
    assert heads[3].author.startswith("zoe")


def test_history_names_origins_in_trailers_branches_and_copied_titles():
    assert origins_in("Fix it\n\n(cherry picked from commit 0123456789abcdef)") == (["0123456789abcdef"], [])
    assert origins_in("Backport PR #14913: Update changelog")[1] == [14913]
    assert origins_in("[PR #13980/9f992b8b backport][9.0.x] config: add a test")[1] == [13980]
    assert origins_in("Merge pull request #32381 from charris/backport-32371")[1] == [32371]
    meeseeks = "Merge pull request #20215 from meeseeksmachine/auto-backport-of-pr-20213-on-v8.0.x"
    assert origins_in(meeseeks)[1] == [20213]
    assert origins_in("Merge pull request #12496 from ronny/backport-annotations-to-8.2")[1] == []
    assert title_core("[8.3.x] Fix the crash (#100) (#104)") == ("fix the crash", [100, 104])


def test_the_truth_joins_a_pull_request_its_merge_and_its_backport(mirror):
    repo, shas = mirror
    items = replay_items(repo, pull_heads=True).items
    with readable(repo) as readable_repo:
        attach_commit_facts(readable_repo, items)
    truth = truth_of(items)
    heads = {item.number: i for i, item in enumerate(items) if isinstance(item, PullHeadItem)}
    merge = next(i for i, item in enumerate(items) if item.sha == shas["merge"])
    assert truth.group(heads[2]) == truth.group(merge) == truth.group(heads[4])
    assert truth.group(heads[3]) != truth.group(heads[2])
    # commits that landed through a pull request are represented by its head
    assert not truth.indexed(merge) and truth.indexed(heads[2])


def test_the_replay_with_heads_asks_for_the_backport_and_the_repeated_change(mirror):
    repo, _ = mirror
    replay = replay_of(repo, name="rocket", pull_heads=True)
    asked = {(replay.items[q.backport].number, q.kind, q.tier) for q in replay.queries}
    assert asked == {(4, "backport", "identical"), (5, "same_patch", "identical")}
    figures = measure(replay, config=_config(), fp_sample=50)
    assert figures["all"]["p_at_1"] == 1.0 and figures["same_change_precision"] == 1.0
    assert figures["same_change_precision_strict"] == 1.0
    # every block of rank figures counts the same way, the top 10 included
    assert figures["kinds"]["same_patch"] == {"n": 1, "p_at_1": 1.0, "r_at_5": 1.0, "r_at_10": 1.0,
                                              "same_change_verdicts": 2, "same_change_precision": 1.0,
                                              "same_change_precision_strict": 1.0}
    assert figures["hard_strict"] == {"n": 0, "p_at_1": None, "r_at_5": None, "r_at_10": None}


def test_the_replay_without_heads_asks_for_the_backport_commit_and_its_merge(mirror):
    repo, shas = mirror
    replay = replay_of(repo, name="rocket", pull_heads=False)
    asked = {replay.items[q.backport].sha for q in replay.queries}
    assert shas["backport"] in asked and len(asked) == 2
    assert measure(replay, config=_config(), fp_sample=50)["all"]["p_at_1"] == 1.0


def test_a_newcomer_racing_a_pull_request_for_the_same_issue_is_counted_with_its_outcome(mirror):
    repo, _ = mirror
    replay = replay_of(repo, name="rocket", pull_heads=True)
    figures = competing_figures(replay.truth)
    assert figures["RACING"]["verdicts"] == 1
    assert figures["RACING"]["outcomes"] == {"the earlier one landed": 1}
    assert figures["SAME_ISSUE"]["verdicts"] == 0  # the backport to the release branch is no competitor


def test_a_snapshot_missing_a_large_file_reads_through_an_overlay_and_is_left_untouched(mirror):
    repo, shas = mirror
    blob = git(repo, "rev-parse", f"{shas['other']}:src/text.py")
    obj = repo / ".git" / "objects" / blob[:2] / blob[2:]
    obj.unlink()
    assert missing_objects(repo) == [blob]
    items = replay_items(repo, pull_heads=True).items
    assert any(item.sha == shas["other"] for item in items)
    assert missing_objects(repo) == [blob] and not list((repo / ".git" / "refs").glob("replace/*"))


def test_a_commit_copied_without_a_trailer_is_the_same_change_as_its_origin(repo):
    """A rebase or a cherry-pick without -x keeps the author, the author date and the subject:
    the later copy asks for the earlier one, strictly only when their lines are the same."""
    fix = commit(repo, "src/geo.py", GUARDED, "Reject negative sizes", when=10, author="alice")
    commit(repo, "README", "geometry\n", "Describe the project", when=12)
    git(repo, "checkout", "-q", "release")
    git(repo, "cherry-pick", "--no-commit", fix, when=20)
    # the copy resolves a conflict its own way: other lines, the same commit
    (repo / "src/geo.py").write_text(GUARDED.replace("return 'm'", "return 'metre'"))
    git(repo, "add", "src/geo.py")
    git(repo, "commit", "-q", "-C", fix, when=20, author="bob")
    copy = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")

    replay = replay_of(repo, name="rocket", pull_heads=False)
    position = {item.sha: i for i, item in enumerate(replay.items)}
    assert replay.items[position[copy]].authorship == replay.items[position[fix]].authorship
    assert replay.truth.same_change(position[copy], position[fix])
    [query] = replay.queries
    assert (query.backport, query.kind, query.tier) == (position[copy], "copy", "near")
    assert query.originals == [position[fix]]
    assert position[fix] in query.relevant and position[fix] not in query.strict
    assert query.copies == {position[fix]}  # a cherry-pick pair all the same (strict-with-copies figure)


def test_a_merge_picked_onto_another_branch_is_the_same_change_as_the_merge(repo):
    git(repo, "checkout", "-q", "-b", "fix")
    commit(repo, "src/geo.py", GUARDED, "Reject negative sizes", when=10, author="alice")
    git(repo, "checkout", "-q", "main")
    commit(repo, "README", "geometry\n", "Describe the project", when=12)
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request #2 from alice/fix", "fix", when=20)
    merge = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "release")
    git(repo, "cherry-pick", "-m", "1", merge, when=30)
    picked = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")

    replay = replay_of(repo, name="rocket", pull_heads=False)
    position = {item.sha: i for i, item in enumerate(replay.items)}
    assert replay.truth.same_change(position[picked], position[merge])
    assert any(q.backport == position[picked] and position[merge] in q.relevant for q in replay.queries)


def test_commits_written_together_are_no_copies_of_each_other(repo):
    """An imported Subversion revision that touched two branches is two commits with one author,
    author date, subject and commit time: written together, not copied."""
    trunk = commit(repo, "src/geo.py", GUARDED, "Reject negative sizes", when=10, author="alice")
    git(repo, "checkout", "-q", "release")
    branch = commit(repo, "CHANGES", "negative sizes are rejected\n", "Reject negative sizes", when=10, author="alice")
    git(repo, "checkout", "-q", "main")

    replay = replay_of(repo, name="rocket", pull_heads=False)
    position = {item.sha: i for i, item in enumerate(replay.items)}
    assert replay.items[position[trunk]].authorship == replay.items[position[branch]].authorship
    assert not replay.truth.same_change(position[trunk], position[branch]) and replay.queries == []


def test_a_fetched_mirror_is_named_after_its_repository(tmp_path):
    assert repository_name(tmp_path / "pytest-dev+pytest" / "repo") == "pytest"
    assert repository_name(tmp_path / "pytest") == "pytest"


def _config():
    from triage.duplicates.core.scoring import DEFAULT_CONFIG

    return DEFAULT_CONFIG


def test_the_command_reports_each_repository_with_and_without_heads_and_a_summary(mirror, db, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    repo, _ = mirror
    out = StringIO()
    call_command("triage_benchmark", str(repo), "--pull-heads", "both", "--fp-sample", "20",
                 "--cache", str(tmp_path / "cache"), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    without, with_heads, summary = lines
    assert (without["repository"], without["pull_heads"], with_heads["pull_heads"]) == ("rocket", False, True)
    assert with_heads["split"] == "held-out" and with_heads["kinds"]["same_patch"]["n"] == 1
    assert "competing" in with_heads and "reliability" in with_heads and "feedback" in with_heads
    assert set(summary["repositories"]) == {"rocket", "rocket +heads"}
    assert (tmp_path / "cache" / "rocket-v1.pkl").exists()


def test_the_command_replays_through_postgres_too(mirror, db):
    import json
    from io import StringIO

    from django.core.management import call_command

    repo, _ = mirror
    out = StringIO()
    call_command("triage_benchmark", str(repo), "--pull-heads", "with", "--postgres", "--fp-sample", "20", stdout=out)
    result = json.loads(out.getvalue().splitlines()[0])
    assert result["index"] == "postgres" and result["all"]["p_at_1"] == 1.0
    # processor time per query (this process and the database server's) beside the latency
    assert 0 < result["cpu_p50_ms"] <= result["cpu_p95_ms"] and len(result["load_average"]) == 2
