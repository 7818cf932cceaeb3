from tests.triage.duplicates.diffs import PYTHON_FIX
from triage.duplicates.core.diffnorm import FileDiff, parse_hunks, parse_unified_diff
from triage.duplicates.core.symbols import file_symbols


def _file(path: str, patch: str) -> FileDiff:
    return FileDiff(path=path, hunks=parse_hunks(patch))


def test_it_names_the_python_function_a_hunk_changes():
    symbols = file_symbols(parse_unified_diff(PYTHON_FIX)[0])
    assert "samefile" in symbols.declarations and not symbols.errors


def test_it_finds_new_python_tests_and_their_imports():
    symbols = file_symbols(parse_unified_diff(PYTHON_FIX)[1])
    assert "test_samefile_zero_inode" in symbols.declarations
    assert symbols.imports == set()  # the import line is context, not a change


def test_it_reads_javascript_exports_and_imports():
    patch = (
        "@@ -1,2 +1,5 @@\n+import { join } from 'node:path'\n export function keep() {}\n"
        "+export const build = (a) => join(a)\n+function local() { return 1 }\n"
    )
    symbols = file_symbols(_file("src/build.js", patch))
    assert symbols.imports == {"node:path"}
    assert {"build", "local"} <= symbols.declarations
    assert "build" in symbols.exports and "local" not in symbols.exports


def test_it_reads_go_java_and_rust_declarations():
    go = file_symbols(
        _file("pkg/x.go", '@@ -1 +1,4 @@\n package x\n+import "fmt"\n+func Render(w int) {}\n+func helper() {}\n')
    )
    assert go.declarations == {"Render", "helper"} and go.exports == {"Render"} and go.imports == {"fmt"}
    java = file_symbols(_file("A.java", "@@ -1 +1,3 @@\n+public class Parser {\n+  public void parse() {}\n+}\n"))
    assert {"Parser", "parse"} <= java.exports
    rust = file_symbols(_file("src/lib.rs", "@@ -1 +1,3 @@\n+use std::io;\n+pub fn read() {}\n+fn inner() {}\n"))
    assert rust.exports == {"read"} and "inner" in rust.declarations and rust.imports == {"std::io"}


def test_it_ignores_files_in_languages_it_does_not_parse():
    assert file_symbols(_file("README", "@@ -1 +1 @@\n-a\n+b\n")).declarations == set()
