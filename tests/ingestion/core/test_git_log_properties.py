"""Bad input, tried systematically: `git log` output carries names and messages anyone
could have written. Whatever the bytes, the parser returns commits or raises GitLogError."""

import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.core.git_log import GitLogError, git_log_commits, parse_diff, parse_log, parse_record

SHA = b"a" * 40
# What people put in commit messages and names: any byte but NUL (git stops at NUL).
free_text = st.binary(max_size=300).map(lambda raw: raw.replace(b"\x00", b""))
fuzz = settings(max_examples=150, deadline=None)


def record(message: bytes, *, author: bytes = b"Ada", diff: bytes = b"") -> bytes:
    return b"\x1e" + SHA + b"\x00\x00" + author + b"\x00a@example.org\x001700000000\x00B\x00b@example.org\x00" + (
        b"1700000100\x00" + message + b"\x00" + diff
    )


@fuzz
@given(messages=st.lists(free_text, min_size=1, max_size=4), chunk=st.integers(min_value=1, max_value=64))
def test_any_message_comes_back_whole_and_alone_whatever_the_chunking(messages, chunk):
    stream = b"".join(record(message) for message in messages)
    chunks = [stream[i : i + chunk] for i in range(0, len(stream), chunk)]
    commits = list(parse_log(chunks))
    assert len(commits) == len(messages)
    for commit, message in zip(commits, messages, strict=True):
        assert commit.message == message.decode("utf-8", errors="replace").rstrip("\n")
        assert "\x00" not in commit.message


@fuzz
@given(author=free_text, message=free_text)
def test_names_that_are_not_utf8_are_read_with_replacement_characters(author, message):
    commit = parse_record(record(message, author=author)[1:])
    assert commit.author_name == author.decode("utf-8", errors="replace")
    assert commit.authored_at.year == 2023


@fuzz
@given(raw=st.binary(max_size=400))
def test_garbage_records_raise_git_log_error_or_parse(raw):
    try:
        for commit in parse_log([raw]):
            assert isinstance(commit.sha, str)
            assert all(isinstance(f.additions, int) and f.additions >= 0 for f in commit.files)
    except GitLogError:
        pass


@fuzz
@given(section=st.binary(max_size=300))
def test_garbage_diff_sections_raise_git_log_error_or_parse(section):
    try:
        files = parse_diff(section)
    except GitLogError:
        return
    assert len({f.path for f in files}) == len(files)


def test_a_real_commit_message_holding_the_record_separator_stays_one_commit(tmp_path):
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=Ada", "-c", "user.email=a@example.org", "commit", "-q", "--allow-empty", "-m", "one")
    git("-c", "user.name=Ada", "-c", "user.email=a@example.org", "commit", "-q", "--allow-empty",
        "-m", "two \x1e then more")
    messages = [commit.message for commit in git_log_commits(str(tmp_path), ["main"])]
    assert messages == ["two \x1e then more", "one"]
