"""Bad input, tried systematically: issue text is anyone's. Whatever it says, the parser
returns dependencies on issue numbers GitHub could have, without duplicates."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sprints.core.dependencies import dependency_edges, parse_dependencies

fuzz = settings(max_examples=150, deadline=None)
GITHUB_MAX_NUMBER = 2**31 - 1

fragments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["blocked by ", "depends on ", "Blocks: ", "related to ", "- [ ] ", "* [x] ", ", ", " and ",
                     "```", "`", "\n", "\r\n", "\x00", "https://github.com/acme/app/issues/", "acme/app", "#"]),
    st.sampled_from(["1", "12", "0", "2147483647", "2147483648", "9" * 30, "9" * 5000, "\u0661\u0662", "\uff11"]),
)
texts = st.lists(fragments, max_size=40).map("".join)


@fuzz
@given(text=texts)
def test_any_text_gives_unique_dependencies_on_possible_issue_numbers(text):
    found = parse_dependencies(text)
    keys = [(d.kind, d.number, (d.repository or "").lower()) for d in found]
    assert len(keys) == len(set(keys))
    assert all(type(d.number) is int and 0 <= d.number <= GITHUB_MAX_NUMBER for d in found)


@fuzz
@given(text=texts, number=st.integers(min_value=1, max_value=GITHUB_MAX_NUMBER))
def test_edges_never_point_an_issue_at_itself(text, number):
    for source, target, _ in dependency_edges(number, text, full_name="acme/app"):
        assert source != target and number in (source, target)


def test_references_longer_than_any_issue_number_are_not_dependencies():
    assert parse_dependencies("depends on #" + "9" * 5000) == []
    assert parse_dependencies("depends on #99999999999") == []
