"""What a change to tests is about: suite and test names, matchers, imports under test.

Read from the changed lines of TESTS-channel files (regexes per framework family); the
names are the strongest clue that two PRs fix the same behaviour with different code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from triage.duplicates.core.diffnorm import FileDiff

_TEST_NAMES = (
    re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)"),                      # pytest / unittest
    re.compile(r"^\s*class\s+(Test\w*)"),                                 # pytest / unittest suites
    re.compile(r"^\s*func\s+(Test\w+|Benchmark\w+)\s*\("),                # go
    re.compile(r"\b(?:it|test|describe|context)\s*\(\s*[\"'`]([^\"'`]+)"),  # jest / mocha / vitest
    re.compile(r"^\s*fn\s+(test_\w+|\w+)\s*\(\).*$"),                     # rust (filtered by #[test] below)
    re.compile(r"^\s*(?:public\s+)?void\s+(test\w*|should\w*)\s*\("),    # junit
)
_MATCHERS = re.compile(
    r"\b(assert\w*|expect\s*\(|\.to\w+|pytest\.raises|pytest\.warns|assertThat|require\.\w+|t\.(?:Errorf|Fatalf))"
)
_IMPORTS = re.compile(
    r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+)|.*\bfrom\s+[\"']([^\"']+)[\"']|.*require\([\"']([^\"']+))"
)


@dataclass
class TestIntent:
    test_names: set[str] = field(default_factory=set)
    matchers: set[str] = field(default_factory=set)
    imports_under_test: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, list[str]]:
        return {
            "tests": sorted(self.test_names),
            "matchers": sorted(self.matchers),
            "importsUnderTest": sorted(self.imports_under_test),
        }


def test_intent(files: list[FileDiff]) -> TestIntent:
    """Test names come from changed lines and from the enclosing test of each hunk."""
    intent = TestIntent()
    for file in files:
        rust = file.path.endswith(".rs")
        for hunk in file.hunks:
            header_lines = [hunk.header] if hunk.header else []
            for text in header_lines + [text for sign, text in hunk.changed()]:
                for index, pattern in enumerate(_TEST_NAMES):
                    if index == 4 and not rust:
                        continue
                    match = pattern.search(text)
                    if match:
                        intent.test_names.add(match.group(1).strip())
            for _sign, text in hunk.changed():
                intent.matchers.update(m.replace(" ", "").rstrip("(") for m in _MATCHERS.findall(text))
                imported = _IMPORTS.match(text)
                if imported:
                    intent.imports_under_test.add(next(g for g in imported.groups() if g))
    return intent
