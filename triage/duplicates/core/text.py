"""Title and body text of a PR: normalised words and linked issue / PR references.

Backport and merge boilerplate ("[8.3.x]", "Merge pull request #1 from a/b", "(#123)")
is stripped from words so that it neither matches unrelated backports nor hides the
real subject; the "#123" references are kept apart as linked references.
"""

from __future__ import annotations

import re

_BRANCH_PREFIX = re.compile(r"^\s*(?:\[[^\]]{1,40}\]\s*)+")
_MERGE_SUBJECT = re.compile(r"^Merge (?:pull request|branch|remote-tracking branch)\b.*$", re.IGNORECASE)
_REFERENCE = re.compile(r"(?:(?<=\s)|(?<=\()|^|(?<=[\w.-]/[\w.-]))#(\d{1,7})\b|/(?:issues|pull)/(\d{1,7})\b")
_CHERRY_PICK = re.compile(r"\(cherry picked from commit [0-9a-f]+\)")
#: a branch named after the pull request it copies: "backport-1234", "auto-backport-of-pr-1234-on-v2.x",
#: "backports/8.3.x/<sha>/pr-1234"
_BRANCH_REFERENCE = re.compile(
    r"\bbackports?[-_/](?:[\w.]+/[0-9a-f]{7,40}/)?(?:of[-_])?(?:pr[-_])?((?:\d{1,7}[-_])*\d{1,7})(?=$|[-_/\s])",
    re.IGNORECASE | re.MULTILINE,
)
_TRAILER = re.compile(r"^(?:Co-authored-by|Signed-off-by|Reviewed-by):.*$", re.IGNORECASE | re.MULTILINE)
_WORD = re.compile(r"[a-z][a-z0-9_]{2,}")
STOPWORDS = frozenset(
    [
        "the", "and", "for", "with", "from", "into", "that", "this", "when", "not", "are", "was", "were", "has",
        "have", "had", "but", "all", "any", "can", "its", "use", "add", "adds", "added", "fix", "fixes", "fixed",
        "update", "updates", "updated", "remove", "removes", "make", "makes", "pull", "request", "merge", "branch",
        "main", "master",
    ]
)


def clean_title(title: str, body: str = "") -> str:
    """The subject without branch prefixes; a merge subject is replaced by the body's first line."""
    title = title.strip()
    if _MERGE_SUBJECT.match(title):
        first = next((line.strip() for line in body.splitlines() if line.strip()), "")
        title = first or title
    return _BRANCH_PREFIX.sub("", title).strip()


def clean_body(body: str) -> str:
    return _TRAILER.sub("", _CHERRY_PICK.sub("", body)).strip()


def references(text: str) -> set[int]:
    """Issue / PR numbers mentioned as #123 or .../issues/123 (commit shas are not references)."""
    found = set()
    for hash_number, url_number in _REFERENCE.findall(text):
        found.add(int(hash_number or url_number))
    return found


def pull_request_references(title: str, body: str, *, number: int | None = None, branch: str = "") -> set[int]:
    """What a pull request refers to: the #N of its title and cleaned body, the pull request its
    branch is named after ("backport-1234"), and its own number, so that a later pull request
    naming it shares a reference with it."""
    found = references(f"{title}\n{clean_body(body)}")
    for numbers in _BRANCH_REFERENCE.findall(f"{title}\n{branch}"):
        found |= {int(n) for n in re.split(r"[-_]", numbers)}
    if number:
        found.add(number)
    return found


def words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in STOPWORDS}
