"""Local clone ingestion, on small repositories built in a temporary folder with git."""

import json
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingestion import signals
from ingestion.core.git_log import GitLogError, git_log_commits
from ingestion.models import Commit, CommitFile, Repository
from ingestion.services.git.ingest import clone_ingest
from ingestion.services.git.walker import CloneError, clone_open, revisions_since

ENV = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2024-01-01T10:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T10:00:00Z",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV).stdout.decode()


def commit(repo: Path, message: bytes | str) -> str:
    message_file = repo.parent / "message.txt"
    message_file.write_bytes(message if isinstance(message, bytes) else message.encode())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-F", str(message_file))
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def clone(tmp_path) -> Path:
    """main: add code+tests+docs, rename a module, add a binary file, merge a branch,
    and a commit whose message is Latin-1 rather than UTF-8."""
    repo = tmp_path / "rocket"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "src").mkdir()
    (repo / "src/engine.py").write_text("".join(f"line {i}\n" for i in range(40)))
    (repo / "tests").mkdir()
    (repo / "tests/test_engine.py").write_text("def test_it():\n    pass\n")
    (repo / "README.md").write_text("# Rocket\n")
    commit(repo, "Initial commit")
    git(repo, "mv", "src/engine.py", "src/motor.py")
    commit(repo, "Rename engine to motor")
    (repo / "logo.png").write_bytes(bytes(range(256)) * 8)
    commit(repo, b"Logo caf\xe9")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "src/fuel.py").write_text("a\nb\nc\n")
    commit(repo, "Add fuel")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("# Rocket\n\nFast.\n")
    commit(repo, "Describe rocket")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
    return repo


def test_it_ingests_every_commit_with_per_file_stats(db, acme, clone):
    summary = clone_ingest(path=str(clone), full_name="acme/rocket")
    assert (summary.commits_new, summary.branch) == (6, "main")
    repository = Repository.objects.get(full_name="acme/rocket")
    assert repository.organization == acme
    initial = Commit.objects.get(message="Initial commit")
    assert (initial.files_changed, initial.lines_added, initial.is_merge) == (3, 43, False)
    channels = dict(CommitFile.objects.filter(commit=initial).values_list("path", "channel"))
    assert channels == {"src/engine.py": "PRODUCTION", "tests/test_engine.py": "TESTS", "README.md": "DOCS"}


def test_it_detects_renames(db, clone):
    clone_ingest(path=str(clone), full_name="acme/rocket")
    renamed = CommitFile.objects.get(commit__message="Rename engine to motor")
    assert (renamed.status, renamed.previous_path, renamed.path) == ("RENAMED", "src/engine.py", "src/motor.py")
    assert (renamed.additions, renamed.deletions) == (0, 0)


def test_it_marks_binary_files_and_keeps_undecodable_messages(db, clone):
    clone_ingest(path=str(clone), full_name="acme/rocket")
    logo = CommitFile.objects.get(path="logo.png")
    assert (logo.is_binary, logo.status, logo.additions) == (True, "ADDED", 0)
    # git itself reads a non-UTF-8 message as Latin-1; a byte it cannot map is replaced.
    assert logo.commit.message in ("Logo café", "Logo caf\ufffd")


def test_it_diffs_a_merge_against_its_first_parent(db, clone):
    clone_ingest(path=str(clone), full_name="acme/rocket")
    merge = Commit.objects.get(message="Merge feature")
    assert merge.is_merge and len(merge.parents) == 2
    assert list(merge.files.values_list("path", "additions")) == [("src/fuel.py", 3)]


def test_it_ingests_only_new_commits_on_a_rerun(db, clone):
    clone_ingest(path=str(clone), full_name="acme/rocket")
    (clone / "src/motor.py").write_text("rewritten\n")
    commit(clone, "Rewrite motor")
    summary = clone_ingest(path=str(clone), full_name="acme/rocket")
    assert (summary.commits_new, summary.commits_seen) == (1, 1)
    assert Commit.objects.count() == 7
    assert clone_ingest(path=str(clone), full_name="acme/rocket").commits_seen == 0


def test_it_announces_the_new_commits_after_commit(db, clone, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, repository_id, commit_ids, **kwargs):
        received.append(commit_ids)

    signals.commits_ingested.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            clone_ingest(path=str(clone), full_name="acme/rocket")
    finally:
        signals.commits_ingested.disconnect(receiver)
    assert sorted(received[0]) == sorted(Commit.objects.values_list("pk", flat=True))


def test_it_names_the_repository_after_a_github_origin(clone):
    git(clone, "remote", "add", "origin", "git@github.com:acme/rocket.git")
    assert clone_open(str(clone)).default_full_name == "acme/rocket"


def test_a_clone_without_a_github_origin_gets_a_valid_local_name(tmp_path):
    odd = tmp_path / "my rocket (copy)"
    odd.mkdir()
    git(odd, "init", "-q", "-b", "main")
    commit(odd, "Initial commit")
    git(odd, "remote", "add", "origin", "https://github.com/../user.git")
    assert clone_open(str(odd)).default_full_name == "local/my-rocket-copy"


def test_a_clone_never_feeds_another_organizations_repository(db, acme, globex, clone):
    from ingestion.services.git.ingest import repository_for_clone

    theirs = Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")

    with pytest.raises(ValueError, match="another organization than globex"):
        repository_for_clone(clone=clone_open(str(clone)), full_name="acme/rocket", organization=globex)
    assert repository_for_clone(clone=clone_open(str(clone)), full_name="acme/rocket", organization=acme) == theirs


def test_the_command_refuses_a_name_with_dot_segments(db, clone):
    with pytest.raises(CommandError, match="OWNER/NAME"):
        call_command("ingest_git", str(clone), "--repo", "../user", stdout=StringIO())
    assert not Repository.objects.exists()


def test_the_command_prints_a_summary(db, clone):
    out = StringIO()
    call_command("ingest_git", str(clone), "--repo", "acme/rocket", "--branch", "feature", stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1])["commits_new"] == 4


def test_the_command_refuses_a_folder_that_is_not_a_clone(db, tmp_path):
    with pytest.raises(CommandError, match="not a git repository"):
        call_command("ingest_git", str(tmp_path), stdout=StringIO())


def test_the_benchmark_reports_json_and_leaves_no_rows(db, clone):
    out = StringIO()
    call_command("bench_ingest", str(clone), stdout=out)
    result = json.loads(out.getvalue().splitlines()[-1])
    assert result["commits"] == 6 and result["ratio"] > 0
    assert not Commit.objects.exists()


def test_it_completes_commits_a_push_stored_without_line_counts(db, acme, clone):
    repository = Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")
    sha = git(clone, "rev-parse", "HEAD~1").strip()
    pushed = Commit.objects.create(repository=repository, sha=sha, message="Describe rocket", stats_complete=False)
    summary = clone_ingest(path=str(clone), full_name="acme/rocket")
    pushed.refresh_from_db()
    assert summary.commits_new == 5
    assert (pushed.stats_complete, pushed.lines_added, pushed.files.get().path) == (True, 2, "README.md")


def test_it_ingests_a_commit_touching_thousands_of_files(db, clone):
    vendor = clone / "vendor"
    vendor.mkdir()
    for index in range(1500):
        (vendor / f"module_{index}.py").write_text(f"value = {index}\n")
    commit(clone, "Vendor everything")
    clone_ingest(path=str(clone), full_name="acme/rocket")
    huge = Commit.objects.get(message="Vendor everything")
    assert (huge.files_changed, huge.lines_added, huge.files.count()) == (1500, 1500, 1500)


def test_git_log_reads_a_revision_that_looks_like_an_option_as_a_bad_revision(clone, tmp_path):
    written = tmp_path / "written"
    with pytest.raises(GitLogError, match="bad revision"):
        list(git_log_commits(str(clone), [f"--output={written}"]))
    assert not written.exists()


def test_a_previous_head_that_is_not_a_commit_sha_never_reaches_git(clone):
    opened = clone_open(str(clone))
    assert revisions_since(opened, "--all") == [opened.head_sha]


def test_a_branch_that_is_no_ref_name_or_sha_is_refused_before_git_reads_it(clone):
    with pytest.raises(CloneError, match="neither a branch or tag name nor a commit SHA"):
        clone_open(str(clone), branch="--output=/tmp/x")
    assert clone_open(str(clone), branch="feature").branch == "feature"
