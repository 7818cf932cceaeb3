from analysis.core.git_history import commits_from_clone
from tests.analysis.gitrepo import GitRepo, lines


def test_it_reads_commits_oldest_first_with_line_counts(tmp_path):
    repo = GitRepo(tmp_path / "r")
    first = repo.commit("Add a", files={"src/a.py": lines("a = 1", "b = 2")})
    second = repo.commit("Change a", author="bob", files={"src/a.py": lines("a = 1", "b = 3", "c = 4")})

    records = list(commits_from_clone(repo.path))

    assert [r.sha for r in records] == [first, second]
    assert records[1].author == "bob@example.org"
    assert records[1].message == "Change a"
    assert records[1].parents == (first,)
    assert [(f.path, f.additions, f.deletions) for f in records[1].files] == [("src/a.py", 2, 1)]


def test_it_follows_renames_with_the_old_path(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("Add", files={"old/name.py": lines(*[f"x{i} = {i}" for i in range(20)])})
    (repo.path / "new").mkdir()
    repo.git("mv", "old/name.py", "new/name.py")
    repo.commit("Move")

    moved = list(commits_from_clone(repo.path))[-1].files[0]

    assert (moved.old_path, moved.path) == ("old/name.py", "new/name.py")
