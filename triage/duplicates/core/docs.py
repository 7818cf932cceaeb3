"""Structure of a documentation change: headings, code fence languages, references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from triage.duplicates.core.diffnorm import FileDiff

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>_:.])\1{2,}\s*$")
_FENCE = re.compile(r"^\s*(?:```|~~~)\s*([\w+-]+)")
_RST_CODE = re.compile(r"^\s*\.\.\s+(?:code-block|code|sourcecode)::\s*([\w+-]+)")
_REFERENCES = re.compile(r"(https?://[^\s)>\]]+|:(?:ref|func|class|meth|doc|confval|fixture):`[^`]+`|#\d{2,6}\b)")


@dataclass
class DocStructure:
    headings: set[str] = field(default_factory=set)
    fence_languages: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, list[str]]:
        return {
            "headings": sorted(self.headings),
            "codeFences": sorted(self.fence_languages),
            "references": sorted(self.references)[:50],
        }


def doc_structure(files: list[FileDiff]) -> DocStructure:
    """Headings changed or enclosing a hunk, fence languages and references in changed lines."""
    structure = DocStructure()
    for file in files:
        for hunk in file.hunks:
            if hunk.header:
                structure.headings.add(hunk.header.lstrip("# ").strip())
            previous = ""
            for sign, text in hunk.lines:
                heading = _MARKDOWN_HEADING.match(text)
                underline = _RST_UNDERLINE.match(text)
                if sign != " ":
                    if heading:
                        structure.headings.add(heading.group(1))
                    elif underline and previous.strip():
                        structure.headings.add(previous.strip())
                    fence = _FENCE.match(text) or _RST_CODE.match(text)
                    if fence:
                        structure.fence_languages.add(fence.group(1).lower())
                    structure.references.update(_REFERENCES.findall(text))
                previous = text
    structure.headings.discard("")
    return structure
