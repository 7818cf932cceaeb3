"""A clone's diff is read even when a file or message is not UTF-8."""

import subprocess

from triage.duplicates.services.patches import _local_diff


def test_a_local_diff_of_a_latin1_file_is_read_with_replacement_characters(tmp_path):
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=Ada", "-c", "user.email=a@example.org",
                               *args], check=True, capture_output=True)
        return done.stdout.decode().strip()

    git("init", "-q", "-b", "main")
    (tmp_path / "notes.txt").write_bytes(b"caf\xe9\n")
    git("add", "notes.txt")
    git("commit", "-q", "-m", "base")
    base = git("rev-parse", "HEAD")
    (tmp_path / "notes.txt").write_bytes(b"caf\xe9\nna\xefve\n")
    git("commit", "-q", "-am", "more")
    files = _local_diff(str(tmp_path), base, git("rev-parse", "HEAD"))
    assert [file.path for file in files] == ["notes.txt"]
    assert files[0].hunks[0].changed() == [("+", "na\ufffdve")]
