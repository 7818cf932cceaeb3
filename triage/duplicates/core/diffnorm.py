"""Split unified diffs into files and hunks, and normalise changed lines.

Input is either a whole `git diff` / `git show` text (with `diff --git` headers) or the
per-file patch GitHub returns (hunks only, path given separately). Normalisation makes
sketches robust to re-indentation and comment churn: whitespace is collapsed, blank and
comment-only lines are dropped; `mask_tokens` further hides identifiers and literals so
that two implementations of the same shape look alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ASCII digits, and no more than a line number can have: a forged header is not a hunk.
_HUNK_HEADER = re.compile(r"^@@ -([0-9]{1,18})(?:,([0-9]{1,18}))? \+([0-9]{1,18})(?:,([0-9]{1,18}))? @@ ?(.*)$")
_DIFF_GIT = re.compile(r"^diff --git a/(.*) b/(.*)$")
_WHITESPACE = re.compile(r"\s+")

#: line-comment markers by file extension; block comment bodies ("* foo") count as comments too
_HASH_COMMENT = {"py", "pyi", "sh", "bash", "rb", "pl", "yaml", "yml", "toml", "cfg", "ini", "r", "cmake", "txt"}
_SLASH_COMMENT = {"js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "java", "kt", "rs", "c", "h", "cc", "cpp", "hpp",
                  "cs", "swift", "scala", "php", "dart"}

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S")
_KEYWORDS = frozenset(
    [
        "def", "class", "return", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "as",
        "import", "from", "raise", "yield", "lambda", "pass", "break", "continue", "and", "or", "not", "in", "is",
        "None", "True", "False", "async", "await", "global", "nonlocal", "assert", "del", "function", "const",
        "let", "var", "new", "this", "self", "null", "undefined", "true", "false", "func", "package", "type",
        "struct", "interface", "fn", "pub", "impl", "mod", "use", "match", "public", "private", "protected",
        "static", "final", "void", "int", "string", "bool", "export", "default", "extends", "implements",
    ]
)


@dataclass
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    header: str
    #: (sign, raw text) with sign one of "+", "-", " "
    lines: list[tuple[str, str]] = field(default_factory=list)

    def changed(self) -> list[tuple[str, str]]:
        return [(sign, text) for sign, text in self.lines if sign != " "]


@dataclass
class FileDiff:
    path: str
    old_path: str = ""
    status: str = "MODIFIED"
    binary: bool = False
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def extension(self) -> str:
        name = self.path.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def parse_hunks(patch: str) -> list[Hunk]:
    """The hunks of one file's patch (text from the first `@@` on; headers before are ignored)."""
    hunks: list[Hunk] = []
    current: Hunk | None = None
    for line in patch.splitlines():
        match = _HUNK_HEADER.match(line)
        if match:
            old_start, old_len, new_start, new_len, header = match.groups()
            current = Hunk(int(old_start), int(old_len or 1), int(new_start), int(new_len or 1), header.strip())
            hunks.append(current)
        elif current is not None and line[:1] in ("+", "-", " "):
            current.lines.append((line[0], line[1:]))
        elif current is not None and line == "":
            current.lines.append((" ", ""))
    return hunks


def parse_unified_diff(text: str) -> list[FileDiff]:
    """Files of a multi-file `git diff` text, in order; renames and binary files are recognised."""
    files: list[FileDiff] = []
    chunks: list[tuple[FileDiff, list[str]]] = []
    for line in text.splitlines():
        match = _DIFF_GIT.match(line)
        if match:
            current = FileDiff(path=match.group(2), old_path=match.group(1))
            chunks.append((current, []))
            continue
        if not chunks:
            continue
        current, body = chunks[-1]
        if not body:
            if line.startswith("new file mode"):
                current.status = "ADDED"
                continue
            if line.startswith("deleted file mode"):
                current.status = "REMOVED"
                continue
            if line.startswith("rename from "):
                current.status = "RENAMED"
                current.old_path = line[len("rename from "):]
                continue
            if line.startswith("rename to "):
                current.path = line[len("rename to "):]
                continue
            if line.startswith("Binary files ") or line.startswith("GIT binary patch"):
                current.binary = True
                continue
            if not line.startswith("@@"):
                continue
        body.append(line)
    for current, body in chunks:
        current.hunks = parse_hunks("\n".join(body))
        if current.status != "RENAMED" and current.old_path == current.path:
            current.old_path = ""
        files.append(current)
    return files


def is_comment_only(text: str, extension: str) -> bool:
    stripped = text.strip()
    if extension in _HASH_COMMENT and stripped.startswith("#"):
        return True
    if extension in _SLASH_COMMENT:
        return stripped == "*" or stripped.startswith(("//", "/*", "*/", "* "))
    return False


def normalize_line(text: str, extension: str = "") -> str | None:
    """The line with whitespace collapsed, or None when it carries no code (blank or comment)."""
    collapsed = _WHITESPACE.sub(" ", text).strip()
    if not collapsed or is_comment_only(collapsed, extension):
        return None
    return collapsed


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def mask_tokens(tokens: list[str]) -> list[str]:
    """Identifiers become ID and literals LIT, keywords and punctuation stay (shape only)."""
    masked = []
    for token in tokens:
        first = token[0]
        if first in "\"'" or first.isdigit():
            masked.append("LIT")
        elif (first.isalpha() or first == "_") and token not in _KEYWORDS:
            masked.append("ID")
        else:
            masked.append(token)
    return masked


def changed_lines(file: FileDiff) -> list[str]:
    """Normalised changed lines of a file, each prefixed with its sign ("+x = 1")."""
    result = []
    for hunk in file.hunks:
        for sign, text in hunk.changed():
            normalized = normalize_line(text, file.extension)
            if normalized is not None:
                result.append(sign + normalized)
    return result
