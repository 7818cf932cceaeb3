"""Bad input, tried systematically: diffs come from clones and from GitHub, holding any
text anyone committed. Whatever the text, the parser returns files and hunks whose
numbers are ints, and the signatures are computed without raising."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.duplicates.diffs import PYTHON_FIX
from triage.duplicates.core.diffnorm import changed_lines, parse_hunks, parse_unified_diff
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.core.text import references

fuzz = settings(max_examples=100, deadline=None)

numbers = st.one_of(st.integers(min_value=0, max_value=10**6).map(str), st.just("9" * 5000), st.just("\u0661\u0662"))
diff_lines = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda raw: raw.decode("utf-8", errors="replace")),
    st.builds(lambda a, b, c, d, h: f"@@ -{a},{b} +{c},{d} @@{h}", numbers, numbers, numbers, numbers, st.text()),
    st.builds(lambda a, b: f"diff --git a/{a} b/{b}", st.text(max_size=30), st.text(max_size=30)),
    st.sampled_from(["new file mode 100644", "deleted file mode 100644", "rename from x.py", "rename to y.py",
                     "Binary files a/x and b/x differ", "GIT binary patch", "\\ No newline at end of file",
                     "+\x00", "-\r", " \u2028", "+" + "x" * 20000]),
    st.builds(lambda sign, body: sign + body, st.sampled_from("+- "), st.text(max_size=60)),
)


def mutated_fix(draw_lines: list[str], positions: list[int]) -> str:
    lines = PYTHON_FIX.splitlines()
    for line, position in zip(draw_lines, positions, strict=False):
        lines.insert(position % (len(lines) + 1), line)
    return "\n".join(lines)


diffs = st.one_of(
    st.lists(diff_lines, max_size=30).map("\n".join),
    st.builds(mutated_fix, st.lists(diff_lines, max_size=8), st.lists(st.integers(min_value=0), max_size=8)),
    st.lists(diff_lines, max_size=30).map("\r\n".join),
)


@fuzz
@given(text=diffs)
def test_any_diff_text_parses_into_files_with_int_line_numbers(text):
    for file in parse_unified_diff(text):
        assert isinstance(file.path, str)
        for hunk in file.hunks:
            assert all(isinstance(n, int) and n >= 0 for n in (hunk.old_start, hunk.old_len, hunk.new_start,
                                                                 hunk.new_len))
            assert all(sign in "+- " for sign, _ in hunk.lines)
        assert all(line[0] in "+-" for line in changed_lines(file))


@fuzz
@given(patch=diffs)
def test_any_github_patch_parses_into_hunks(patch):
    for hunk in parse_hunks(patch):
        assert isinstance(hunk.new_start, int)


@fuzz
@given(text=diffs, title=st.text(max_size=200), body=st.text(max_size=500))
def test_any_diff_title_and_body_give_a_signature(text, title, body):
    signature = pr_signature(parse_unified_diff(text), title=title, body=body)
    assert all(isinstance(number, int) for number in signature.references)
    for channel in signature.channels.values():
        assert len(channel.canonical_diff_hash) == 64


@fuzz
@given(text=st.text(max_size=300), digits=st.sampled_from(["1", "9" * 7, "9" * 5000]))
def test_references_are_ints_whatever_the_text(text, digits):
    assert all(isinstance(number, int) for number in references(f"{text} #{digits} /issues/{digits}"))
