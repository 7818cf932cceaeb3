import pytest

from analysis.core.szz import SzzConfig, SzzError, blame_lines, is_meaningful_line, szz_links
from tests.analysis.gitrepo import GitRepo, lines


def links_of(repo: GitRepo, fix: str, **kwargs):
    return list(szz_links(str(repo.path), [fix], **kwargs))


def test_it_blames_the_changed_line_on_the_commit_that_wrote_it(tmp_path):
    repo = GitRepo(tmp_path / "r")
    first = repo.commit("Add", files={"a.py": lines("def f(x):", "    return x", "", "VALUE = 1")})
    second = repo.commit("Tune", author="bob", files={"a.py": lines("def f(x):", "    return x", "", "VALUE = 2")})
    fix = repo.commit("Fix f", files={"a.py": lines("def f(x):", "    return x + 1", "", "VALUE = 2")})

    found = links_of(repo, fix)

    assert [(link.inducing_sha, link.path, link.lines) for link in found] == [(first, "a.py", (2,))]
    assert second not in {link.inducing_sha for link in found}


def test_it_skips_blank_comment_and_whitespace_only_changes(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("Add", files={"a.py": lines("# old comment", "x = 1", "", "y = 2")})
    fix = repo.commit("Fix", files={"a.py": lines("# new comment", "x  =  1", "y = 2")})

    assert links_of(repo, fix) == []


def test_it_skips_oversized_fixes(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("Add", files={f"m{i}.py": lines(f"v = {i}") for i in range(3)})
    fix = repo.commit("Fix all", files={f"m{i}.py": lines(f"v = {i + 1}") for i in range(3)})

    assert links_of(repo, fix, config=SzzConfig(max_files=2)) == []
    assert len(links_of(repo, fix, config=SzzConfig(max_files=3))) == 3


def test_it_drops_candidates_made_after_the_bug_was_reported(tmp_path):
    repo = GitRepo(tmp_path / "r")
    early = repo.commit("Add", files={"a.py": lines("a = 1", "b = 1")})
    reported = repo.clock + 3600
    repo.commit("Change b", files={"a.py": lines("a = 1", "b = 2")})
    fix = repo.commit("Fix", files={"a.py": lines("a = 0", "b = 0")})

    found = links_of(repo, fix, reported_at={fix: reported})

    assert {link.inducing_sha for link in found} == {early}


def test_it_skips_merge_commits(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("Add", files={"a.py": lines("a = 1")})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("Side", files={"b.py": lines("b = 1")})
    repo.git("checkout", "-q", "main")
    repo.commit("Main", files={"a.py": lines("a = 2")})
    repo.git("merge", "-q", "--no-edit", "side")

    assert links_of(repo, repo.git("rev-parse", "HEAD")) == []


def test_comment_and_blank_lines_are_not_meaningful():
    assert not is_meaningful_line("   ")
    assert not is_meaningful_line("  // note")
    assert not is_meaningful_line(" * javadoc")
    assert is_meaningful_line("return x;")


def test_a_revision_that_is_not_a_commit_sha_never_reaches_git(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("Add", files={"a.py": lines("a = 1")})
    written = tmp_path / "written"

    with pytest.raises(SzzError, match="not a commit SHA"):
        blame_lines(str(repo.path), f"--output={written}", "a.py", [1], ignore_whitespace=True)
    with pytest.raises(SzzError, match="not a commit SHA"):
        list(szz_links(str(repo.path), ["HEAD"]))
    assert not written.exists()
