"""Declarations, exports and imports touched by a diff, from tree-sitter parses of hunks.

A PR patch holds only hunks, not whole files, so each hunk's new side (context + added
lines) and old side (context + removed lines) is parsed on its own; tree-sitter recovers
from the cut-off edges. A declaration is "touched" when a changed line falls inside it,
and the enclosing name from the `@@ ... @@ def name(` header is touched too.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Node, Parser
from tree_sitter_language_pack import get_parser

from triage.duplicates.core.diffnorm import FileDiff, Hunk

LANGUAGE_BY_EXTENSION = {
    "py": "python", "pyi": "python", "js": "javascript", "jsx": "javascript", "mjs": "javascript",
    "cjs": "javascript", "ts": "typescript", "tsx": "tsx", "go": "go", "java": "java", "rs": "rust",
}

_DECLARATIONS = {
    "python": {"function_definition", "class_definition"},
    "javascript": {"function_declaration", "generator_function_declaration", "class_declaration",
                   "method_definition", "variable_declarator"},
    "go": {"function_declaration", "method_declaration", "type_spec"},
    "java": {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration",
             "method_declaration", "constructor_declaration"},
    "rust": {"function_item", "struct_item", "enum_item", "trait_item", "impl_item", "mod_item", "type_item"},
}
_DECLARATIONS["typescript"] = _DECLARATIONS["javascript"] | {"interface_declaration", "type_alias_declaration",
                                                              "enum_declaration", "abstract_class_declaration"}
_DECLARATIONS["tsx"] = _DECLARATIONS["typescript"]

_IMPORTS = {
    "python": {"import_statement", "import_from_statement"},
    "javascript": {"import_statement"},
    "typescript": {"import_statement"},
    "tsx": {"import_statement"},
    "go": {"import_spec"},
    "java": {"import_declaration"},
    "rust": {"use_declaration"},
}

_HEADER_NAME = re.compile(
    r"\b(?:def|class|func|fn|function|interface|struct|enum|trait|impl|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)"
)
_QUOTES = "\"'`"


@dataclass
class FileSymbols:
    declarations: set[str] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


@lru_cache(maxsize=16)
def _parser(language: str) -> Parser:
    return get_parser(language)  # type: ignore[arg-type]


def language_of(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    return LANGUAGE_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def _declaration_name(node: Node, language: str) -> str | None:
    if node.type == "impl_item":
        target = node.child_by_field_name("type")
        return target.text.decode("utf-8", "replace") if target is not None and target.text else None
    if node.type == "variable_declarator":
        value = node.child_by_field_name("value")
        if value is None or value.type not in ("arrow_function", "function_expression", "function"):
            return None
    name = node.child_by_field_name("name")
    return name.text.decode("utf-8", "replace") if name is not None and name.text else None


def _is_exported(node: Node, name: str, language: str) -> bool:
    if language == "python":
        return not name.startswith("_")
    if language == "go":
        return name[:1].isupper()
    if language == "rust":
        return any(child.type == "visibility_modifier" for child in node.children)
    if language == "java":
        return any(child.type == "modifiers" and b"public" in (child.text or b"") for child in node.children)
    parent = node.parent
    while parent is not None and parent.type in ("lexical_declaration", "variable_declaration"):
        parent = parent.parent
    return parent is not None and parent.type == "export_statement"


def _import_name(node: Node, language: str) -> str:
    if language in ("javascript", "typescript", "tsx"):
        source = node.child_by_field_name("source")
        text = source.text if source is not None else node.text
    elif language == "go":
        path = node.child_by_field_name("path")
        text = path.text if path is not None else node.text
    elif language == "python" and node.type == "import_from_statement":
        module = node.child_by_field_name("module_name")
        text = module.text if module is not None else node.text
    else:
        text = node.text
    decoded = (text or b"").decode("utf-8", "replace").strip().rstrip(";")
    for prefix in ("import ", "use ", "static "):
        decoded = decoded.removeprefix(prefix)
    return decoded.strip(_QUOTES).strip()


def _scan(source: str, changed_rows: set[int], language: str, result: FileSymbols) -> None:
    tree = _parser(language).parse(source.encode("utf-8"))
    declarations, imports = _DECLARATIONS[language], _IMPORTS[language]
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in imports:
            if any(node.start_point[0] <= row <= node.end_point[0] for row in changed_rows):
                name = _import_name(node, language)
                if name:
                    result.imports.add(name)
            continue
        if node.type in declarations:
            name = _declaration_name(node, language)
            if name and any(node.start_point[0] <= row <= node.end_point[0] for row in changed_rows):
                result.declarations.add(name)
                if _is_exported(node, name, language):
                    result.exports.add(name)
        stack.extend(node.children)


def _side(hunk: Hunk, sign: str) -> tuple[str, set[int]]:
    lines, rows = [], set()
    for line_sign, text in hunk.lines:
        if line_sign == " " or line_sign == sign:
            if line_sign == sign:
                rows.add(len(lines))
            lines.append(text)
    return textwrap.dedent("\n".join(lines)), rows


def file_symbols(file: FileDiff) -> FileSymbols:
    """Touched declarations, exports and imports of one file diff; parse failures go to `errors`."""
    result = FileSymbols()
    for hunk in file.hunks:
        match = _HEADER_NAME.search(hunk.header)
        if match:
            result.declarations.add(match.group(1))
    language = language_of(file.path)
    if language is None:
        return result
    for hunk in file.hunks:
        for sign in ("+", "-"):
            source, rows = _side(hunk, sign)
            if not rows:
                continue
            try:
                _scan(source, rows, language, result)
            except (ValueError, RuntimeError, UnicodeError) as error:
                result.errors.append(f"{file.path}: tree-sitter {language}: {error}")
    return result
