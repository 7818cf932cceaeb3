"""Repository names: OWNER/NAME with GitHub's characters, one slash, no dot segments."""

import pytest

from ingestion.core.normalize.names import InvalidFullName, full_name_check, full_name_valid, local_name

GOOD = ["psf/requests", "octocat/Hello-World", "octocat/.github", "pytest-dev/pytest", "user_acme/x.y",
        "a/b", "o/name...dots", "o/_private", "o/-leading"]
BAD = ["../user", "alphaco/..", "alphaco/.", "./x", "../..", "a/b/c", "a", "/b", "a/", "", "a/b\n", "a /b",
       "a/b c", "-a/b", ".a/b", "a/b?x=1", "a/b#frag", "a%2F../b", "a\\b/c", "a/b%2e%2e", "ä/b", "a/b\x00",
       "a" * 101 + "/b", "a/" + "b" * 101]


@pytest.mark.parametrize("name", GOOD)
def test_github_names_pass(name):
    assert full_name_check(name) == name and full_name_valid(name)


@pytest.mark.parametrize("name", BAD)
def test_anything_else_is_refused_with_a_sentence(name):
    with pytest.raises(InvalidFullName, match="not a GitHub repository name: write OWNER/NAME"):
        full_name_check(name)
    assert not full_name_valid(name)


@pytest.mark.parametrize("value", [None, 7, ["a", "b"], {"full_name": "a/b"}])
def test_values_that_are_no_text_are_refused(value):
    assert not full_name_valid(value)


@pytest.mark.parametrize(("folder", "name"), [("my project", "my-project"), ("..", "clone"), ("ünï", "n"),
                                              ("requests", "requests"), ("-x-", "x")])
def test_a_clone_folder_becomes_a_valid_local_name(folder, name):
    assert local_name(folder) == name and full_name_valid(f"local/{name}")
