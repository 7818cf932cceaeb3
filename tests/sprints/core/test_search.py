import pytest

from sprints.core.search import fuse_rankings, is_doc_file, is_doc_folder, markdown_sections


def test_it_splits_markdown_into_sections_with_unique_keys():
    text = "Intro words.\n# Install\npip install x\n## Usage\nrun it\n## Usage\nagain\n"
    sections = markdown_sections("README.md", text)
    assert [s.key for s in sections] == ["README.md#intro", "README.md#install", "README.md#usage", "README.md#usage-2"]
    assert sections[1].title == "README.md: Install" and sections[1].text == "pip install x"


def test_fusion_favours_documents_both_rankings_found():
    fused = fuse_rankings([1, 2, 3], [3, 4, 1])
    assert [pk for pk, _ in fused][:2] == [1, 3]
    assert len(fused) == 4


@pytest.mark.parametrize(("path", "searched"), [
    ("README.md", True), ("CONTRIBUTING.md", True), ("CHANGELOG-2024.md", True), ("docs/index.md", True),
    ("doc/api/client.md", True), ("README.rst", False), ("readme.md", False), ("src/README.md", False),
    ("docs/logo.png", False), ("documents/notes.md", False),
])
def test_docs_are_the_root_readme_contributing_and_changelog_and_markdown_under_docs(path, searched):
    assert is_doc_file(path) is searched


def test_only_the_docs_folders_are_walked():
    assert is_doc_folder("docs") and is_doc_folder("doc/api") and not is_doc_folder("src")
