from sprints.core.search import fuse_rankings, markdown_sections


def test_it_splits_markdown_into_sections_with_unique_keys():
    text = "Intro words.\n# Install\npip install x\n## Usage\nrun it\n## Usage\nagain\n"
    sections = markdown_sections("README.md", text)
    assert [s.key for s in sections] == ["README.md#intro", "README.md#install", "README.md#usage", "README.md#usage-2"]
    assert sections[1].title == "README.md: Install" and sections[1].text == "pip install x"


def test_fusion_favours_documents_both_rankings_found():
    fused = fuse_rankings([1, 2, 3], [3, 4, 1])
    assert [pk for pk, _ in fused][:2] == [1, 3]
    assert len(fused) == 4
