from tests.triage.duplicates.diffs import PYTHON_FIX
from triage.duplicates.core.diffnorm import (
    changed_lines,
    mask_tokens,
    normalize_line,
    parse_hunks,
    parse_unified_diff,
    tokenize,
)


def test_it_splits_a_git_diff_into_files_and_hunks():
    files = parse_unified_diff(PYTHON_FIX)
    assert [f.path for f in files] == ["src/pkg/paths.py", "tests/test_paths.py", "changelog/123.bugfix.rst"]
    assert files[2].status == "ADDED"
    hunk = files[0].hunks[0]
    assert (hunk.old_start, hunk.new_start, hunk.header) == (10, 10, "def samefile(a, b):")
    assert [sign for sign, _ in hunk.changed()] == ["-", "+", "+", "+", "+"]


def test_it_reads_renames_and_binary_files():
    text = (
        "diff --git a/old.py b/new.py\nsimilarity index 90%\nrename from old.py\nrename to new.py\n"
        "diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n"
    )
    renamed, binary = parse_unified_diff(text)
    assert (renamed.status, renamed.old_path, renamed.path) == ("RENAMED", "old.py", "new.py")
    assert binary.binary and binary.hunks == []


def test_it_parses_a_github_file_patch_without_headers():
    hunks = parse_hunks("@@ -1 +1,2 @@\n-a\n+b\n+c")
    assert hunks[0].old_len == 1 and hunks[0].new_len == 2 and len(hunks[0].changed()) == 3


def test_it_drops_blank_and_comment_lines_and_collapses_whitespace():
    assert normalize_line("   x  =   1  ", "py") == "x = 1"
    assert normalize_line("   # a comment", "py") is None
    assert normalize_line("// note", "go") is None
    assert normalize_line("# heading", "md") == "# heading"
    assert normalize_line("   ", "py") is None
    lines = changed_lines(parse_unified_diff(PYTHON_FIX)[0])
    assert lines[0] == "-return os.stat(a).st_ino == os.stat(b).st_ino"


def test_it_masks_identifiers_and_literals_but_keeps_keywords():
    assert mask_tokens(tokenize('if count > 10: return "x"')) == ["if", "ID", ">", "LIT", ":", "return", "LIT"]
