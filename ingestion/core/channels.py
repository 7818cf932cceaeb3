"""Which channel a changed file belongs to: PRODUCTION, TESTS, DOCS or META.

The rules are data, versioned by CHANNEL_RULES_VERSION: every stored file row records the
version that classified it, so a change of rules can be re-applied later. Rules are tried
in order and the first match wins; a path no rule matches is PRODUCTION. No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import translate
from functools import lru_cache

CHANNEL_RULES_VERSION = 1

PRODUCTION = "PRODUCTION"
TESTS = "TESTS"
DOCS = "DOCS"
META = "META"


@dataclass(frozen=True)
class ChannelRule:
    channel: str
    #: shell-style patterns matched against the whole lower-cased path ("**/" = any folder)
    patterns: tuple[str, ...]


# META first: CI workflows, lock files and build config are not tests or docs even when
# they live under such folders (".github/workflows/tests.yml").
CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule(
        META,
        (
            ".github/*", ".circleci/*", ".gitlab-ci.yml", ".travis.yml", "appveyor.yml", "azure-pipelines.yml",
            "**/.gitignore", "**/.gitattributes", "**/.gitmodules", "**/.editorconfig", "**/.pre-commit-config.yaml",
            "**/.dockerignore", "**/dockerfile", "**/docker-compose*.yml", "**/makefile", "**/codeowners",
            "**/license*", "**/licence*", "**/copying*", "**/notice", "**/authors*", "**/contributors*",
            "**/package.json", "**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml", "**/poetry.lock",
            "**/pipfile", "**/pipfile.lock", "**/uv.lock", "**/cargo.lock", "**/cargo.toml", "**/go.mod",
            "**/go.sum", "**/gemfile", "**/gemfile.lock", "**/composer.json", "**/composer.lock",
            "**/requirements*.txt", "**/requirements/*.txt", "**/setup.cfg", "**/setup.py", "**/pyproject.toml",
            "**/tox.ini", "**/noxfile.py", "**/manifest.in", "**/pom.xml", "**/build.gradle*",
            "**/settings.gradle*", "**/gradle.properties", "**/gradlew*", "**/.mvn/*", "**/build.xml",
            "**/ivy.xml", "**/*.cmake", "**/cmakelists.txt", "**/.eslintrc*", "**/.prettierrc*",
            "**/tsconfig*.json", "**/.flake8", "**/.pylintrc", "**/.coveragerc", "**/.ruff.toml", "**/ruff.toml",
            "**/mypy.ini", "**/.clang-format", "**/.mailmap", "**/.readthedocs.y*ml",
        ),
    ),
    ChannelRule(
        TESTS,
        (
            "**/test/*", "**/tests/*", "**/testing/*", "**/__tests__/*", "**/spec/*", "**/specs/*",
            "**/e2e/*", "**/testdata/*", "**/test_*.py", "**/*_test.py", "**/conftest.py", "**/*_test.go",
            "**/*.test.[jt]s", "**/*.test.[jt]sx", "**/*.spec.[jt]s", "**/*.spec.[jt]sx", "**/*_spec.rb",
            "**/*test.java", "**/*tests.java", "**/*test.kt", "**/*tests.cs", "**/*test.cs", "**/*_test.rs",
            "**/*_test.c", "**/*_test.cc", "**/*_test.cpp", "**/*_unittest.cc",
        ),
    ),
    ChannelRule(
        DOCS,
        (
            "**/doc/*", "**/docs/*", "**/documentation/*", "**/*.md", "**/*.markdown", "**/*.rst",
            "**/*.adoc", "**/*.asciidoc", "**/*.txt", "**/*.rdoc", "**/*.pod", "**/readme*", "**/changelog*",
            "**/changes*", "**/history*", "**/news*", "**/man/*.[1-9]", "**/mkdocs.yml",
        ),
    ),
)


def _pattern_regex(pattern: str) -> str:
    # "**/x" matches "x" at the root as well as in any folder; "*" crosses folders, so
    # "docs/*" covers the whole docs tree.
    if pattern.startswith("**/"):
        return f"(?:.*/)?{translate(pattern[3:])[4:-3]}"
    return translate(pattern)[4:-3]


def _compile(rules: tuple[ChannelRule, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (rule.channel, re.compile("(?s:" + "|".join(_pattern_regex(p) for p in rule.patterns) + r")\Z"))
        for rule in rules
    )


_COMPILED = _compile(CHANNEL_RULES)


@lru_cache(maxsize=65536)
def classify_path(path: str) -> str:
    """The channel of `path` (a repository-relative path with forward slashes)."""
    lowered = path.lower().lstrip("/")
    for channel, regex in _COMPILED:
        if regex.match(lowered):
            return channel
    return PRODUCTION
