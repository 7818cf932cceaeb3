"""Issue dependencies parsed from issue and pull request text. Pure module: no Django import.

Recognised, case-insensitive, outside code blocks and inline code:
- "blocked by #12", "blocked on #12", "depends on #12", "depends upon #12", "requires #12",
  "needs #12" -> this issue depends on #12 (`blocked_by`);
- "blocks #12", "blocking #12" -> #12 depends on this issue (`blocks`);
- task list items "- [ ] #12" / "* [x] #12" -> this issue tracks #12 and depends on it (`task_list`);
- "related to #12", "see also #12" -> `related`.
A reference is `#12`, `owner/repo#12`, or a GitHub URL `https://github.com/owner/repo/issues/12`
(or `/pull/12`). Several references may follow one phrase: "depends on #1, #2 and #3".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCKED_BY = "blocked_by"
BLOCKS = "blocks"
TASK_LIST = "task_list"
RELATED = "related"

# GitHub numbers issues with ASCII digits, up to 2**31 - 1: longer runs are not references.
_NUMBER = r"[0-9]{1,10}(?![0-9])"
_REF = (
    rf"(?:https?://github\.com/(?P<url_repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<url_number>{_NUMBER})"
    rf"|(?P<short_repo>[\w.-]+/[\w.-]+)?#(?P<number>{_NUMBER}))"
)
MAX_NUMBER = 2**31 - 1
REFERENCE = re.compile(_REF)
PHRASES = (
    (BLOCKED_BY, re.compile(r"\b(?:blocked\s+(?:by|on)|depends\s+(?:on|upon)|requires|needs)\s*:?\s+", re.I)),
    (BLOCKS, re.compile(r"\b(?:blocks|blocking)\s*:?\s+", re.I)),
    (RELATED, re.compile(r"\b(?:related\s+to|see\s+also)\s*:?\s+", re.I)),
)
TASK_ITEM = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+(?P<rest>.*)$", re.M)
FENCED_CODE = re.compile(r"```.*?```|~~~.*?~~~", re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# A run of references separated by commas / "and"; stops at the first word that is not one.
REFERENCE_RUN = re.compile(rf"\s*{_REF}(?:\s*(?:,|\band\b|&)\s*{_REF.replace('?P<', '?P<r_')})*")


@dataclass(frozen=True)
class ParsedDependency:
    kind: str  # blocked_by | blocks | task_list | related
    number: int
    repository: str | None  # "owner/name" when the reference names a repository, else None (same repository)

    def is_same_repository(self, full_name: str) -> bool:
        return self.repository is None or self.repository.lower() == full_name.lower()


def _strip_code(text: str) -> str:
    return INLINE_CODE.sub(" ", FENCED_CODE.sub(" ", text))


def _references(fragment: str) -> list[tuple[int, str | None]]:
    found = []
    for match in REFERENCE.finditer(fragment):
        if match.group("url_number"):
            found.append((int(match.group("url_number")), match.group("url_repo")))
        else:
            found.append((int(match.group("number")), match.group("short_repo")))
    return [(number, repository) for number, repository in found if number <= MAX_NUMBER]


def parse_dependencies(text: str) -> list[ParsedDependency]:
    """Dependencies stated in `text`, in order of appearance, without duplicates."""
    if not text:
        return []
    clean = _strip_code(text)
    found: list[ParsedDependency] = []
    for kind, phrase in PHRASES:
        for match in phrase.finditer(clean):
            run = REFERENCE_RUN.match(clean, match.end())
            if run:
                found.extend(ParsedDependency(kind, n, repo) for n, repo in _references(run.group(0)))
    for item in TASK_ITEM.finditer(clean):
        run = REFERENCE_RUN.match(item.group("rest"))
        if run:
            found.extend(ParsedDependency(TASK_LIST, n, repo) for n, repo in _references(run.group(0)))
    unique: dict[tuple[str, int, str | None], ParsedDependency] = {}
    for dep in found:
        unique.setdefault((dep.kind, dep.number, dep.repository.lower() if dep.repository else None), dep)
    return list(unique.values())


def dependency_edges(number: int, text: str, *, full_name: str) -> list[tuple[int, int, str]]:
    """Edges (issue, depends_on, kind) within one repository, normalised so that the first issue
    always depends on the second: "#5 blocks #9" becomes (9, 5, "blocks"). Self references and
    references to other repositories are dropped."""
    edges: list[tuple[int, int, str]] = []
    for dep in parse_dependencies(text):
        if not dep.is_same_repository(full_name) or dep.number == number:
            continue
        if dep.kind == BLOCKS:
            edges.append((dep.number, number, dep.kind))
        else:
            edges.append((number, dep.number, dep.kind))
    return edges
