"""Pure helpers of the search: documentation split into sections, and the fusion of keyword and
semantic rankings. No Django import."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

MAX_TEXT_CHARS = 2000
#: documentation a repository's search covers: these files at its root, and Markdown in these folders
DOC_ROOT_FILES = ("README*.md", "CONTRIBUTING*.md", "CHANGELOG*.md")
DOC_FOLDERS = ("docs", "doc")
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.M)
RRF_K = 60  # the usual reciprocal-rank-fusion constant: damps the weight of the very top ranks


@dataclass(frozen=True)
class DocSection:
    key: str  # path#slug
    title: str
    text: str


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def is_doc_folder(path: str) -> bool:
    return path.split("/", 1)[0] in DOC_FOLDERS


def is_doc_file(path: str) -> bool:
    folder, _, name = path.rpartition("/")
    if not folder:
        return any(fnmatchcase(name, pattern) for pattern in DOC_ROOT_FILES)
    return is_doc_folder(folder) and name.endswith(".md")


def markdown_sections(path: str, markdown: str) -> list[DocSection]:
    """Sections split at level 1-3 headings; the text before the first heading is the file's intro.
    Keys are unique within the file."""
    sections: list[DocSection] = []
    seen: dict[str, int] = {}
    matches = list(HEADING.finditer(markdown))
    intro = markdown[: matches[0].start()] if matches else markdown
    if intro.strip():
        sections.append(DocSection(f"{path}#intro", path, intro.strip()[:MAX_TEXT_CHARS]))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(markdown)
        body = markdown[match.end() : end].strip()
        title = match.group(2).strip()
        slug = _slug(title)
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
        sections.append(DocSection(f"{path}#{slug}", f"{path}: {title}", body[:MAX_TEXT_CHARS]))
    return sections


def content_sha256(model: str, title: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{title}\0{text}".encode()).hexdigest()


def fuse_rankings(*rankings: Sequence[int], limit: int = 20) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ranked id lists: ids found by several rankings, or high in one,
    come first. Returns (id, score), best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
