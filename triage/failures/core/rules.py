"""Versioned line rules: patterns that mark a CI log line as evidence of a failure.

Every rule is a general tool or language pattern (a compiler's error format, a test
runner's failure header, a package manager's resolution error), never a string taken from
one repository. Bump `RULES_VERSION` whenever a rule is added, removed or re-weighted:
stored analyses record the version that produced them, so they can be recomputed.

This module is data: the rules, and the literals their matches contain that let
`rule_matcher` skip most lines (`prefilters` holds the words every rule needs and the
lines that only report a failure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

RULES_VERSION = "2026.11.6"


class Category(StrEnum):
    TEST_FAILURE = "test_failure"
    LINT_FORMAT = "lint_format"
    TYPE_CHECK = "type_check"
    BUILD_COMPILE = "build_compile"
    DEPENDENCY_INSTALL = "dependency_install"
    INFRASTRUCTURE = "infrastructure"
    UNKNOWN = "unknown"


class Block(StrEnum):
    """How the lines around a matched line are gathered into a root-cause range."""

    LINE = "line"  # the line and the lines that continue it (indented, same family)
    TRACEBACK = "traceback"  # back to the start of the traceback / test header above it
    HEADER = "header"  # the line opens a section: take the lines below it


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    weight: float  # how strongly a match alone points at the cause, 0..1
    category: Category
    block: Block = Block.LINE
    on_lower: bool = False  # match against the lower-cased line (faster than re.IGNORECASE)
    needs: tuple[str, ...] = ()  # lower-case words one of which the line must contain (a cheap pre-check)


def _rule(
    name: str, pattern: str, weight: float, category: Category, block: Block = Block.LINE, flags: int = 0
) -> Rule:
    # Case-insensitive rules run on the lower-cased line: re.IGNORECASE is slow.
    if flags & re.I:
        lowered = re.sub(r"(\\.)|[A-Z]", lambda m: m.group(1) or m.group(0).lower(), pattern)  # keep \S, \W...
        return Rule(name, re.compile(lowered, re.M | (flags & ~re.I)), weight, category, block, on_lower=True)
    return Rule(name, re.compile(pattern, re.M | flags), weight, category, block)


T, L, TY, B, D, INFRA, U = (
    Category.TEST_FAILURE,
    Category.LINT_FORMAT,
    Category.TYPE_CHECK,
    Category.BUILD_COMPILE,
    Category.DEPENDENCY_INSTALL,
    Category.INFRASTRUCTURE,
    Category.UNKNOWN,
)

RULES: tuple[Rule, ...] = (
    # --- CI runner markers -------------------------------------------------------------
    _rule(
        "gha_error", r"^##\[error\](?!Process completed with exit code|The process '.*' failed with exit code)", 0.6, U
    ),
    # --- infrastructure: runner loss, cancellation, timeouts, memory, network ------------
    _rule(
        "runner_lost",
        r"runner has received a shutdown signal|lost communication with the server|"
        r"The hosted runner .* lost|runner .* (?:did not respond|is offline)|pod failed to come online",
        0.95,
        INFRA,
    ),
    _rule("cancelled", r"The operation was canceled|received SIGINT|The job was canceled", 0.8, INFRA),
    _rule(
        "timeout",
        r"has timed out after \d+ minutes|exceeded the maximum (?:execution )?time|"
        r"No output has been received in the last \d+m|"
        r"timed out after \d+ ?(?:s|seconds|minutes)\b|Timeout of \d+ms exceeded",
        0.85,
        INFRA,
    ),
    # A test wrapper's own time limit: it says that the command was killed, not what hung.
    _rule("timeout_wrapper", r"Command took >\d+\w*, returning", 0.7, INFRA),
    # pytest's banner when a run is interrupted (a timeout's SIGINT, Ctrl-C, pytest.exit).
    _rule(
        "pytest_interrupted",
        r"^!{5,} (?:KeyboardInterrupt|Interrupted: .*|_pytest\.outcomes\.Exit\b.*) !{5,}$",
        0.9,
        INFRA,
    ),
    _rule(
        "oom",
        r"OutOfMemoryError|[Oo]ut of memory|Cannot allocate memory|std::bad_alloc|"
        r"exit code 137|^Killed$|oom-kill|JavaScript heap out of memory",
        0.85,
        INFRA,
    ),
    _rule(
        "network",
        r"Could not resolve host|Temporary failure in name resolution|Connection (?:refused|reset by peer)|"
        r"ECONNRESET|ETIMEDOUT|ECONNREFUSED|rate limit exceeded|50[234] (?:Bad Gateway|Service Unavailable|Gateway)|"
        r"TLS handshake timeout|download has timed out|Failed to download",
        0.6,
        INFRA,
    ),
    # --- dependency resolution -------------------------------------------------------------
    _rule(
        "pip_resolve",
        r"^\s*ERROR: (?:Could not find a version|No matching distribution|Cannot install|"
        r"ResolutionImpossible|Failed building wheel|Could not install packages)",
        0.9,
        D,
    ),
    _rule("npm_err", r"^npm ERR! (?:code|errno|404|ERESOLVE|peer)|^npm error code", 0.75, D),
    _rule(
        "yarn_err",
        r"^error (?:An unexpected error|Couldn't find (?:package|any versions)|Package .* not found|"
        r"Command failed(?! with exit code))",
        0.7,
        D,
    ),
    # Composer: "Your requirements could not be resolved...", then "  Problem 1" and the
    # reasons as "    - ..." lines below it.
    _rule("composer_problem", r"^\s+Problem \d+$", 0.85, D, Block.HEADER),
    _rule(
        "maven_resolve",
        r"Could not resolve dependencies|Could not (?:find|transfer) artifact|"
        r"Failed to read artifact descriptor|Non-resolvable parent POM",
        0.85,
        D,
    ),
    _rule(
        "bundler",
        r"Could not find gem|Bundler could not find compatible versions|"
        r"An error occurred while installing|Gem::Ext::BuildError|Could not find .* in any of the sources",
        0.85,
        D,
    ),
    _rule(
        "other_resolve",
        r"PackagesNotFoundError|Your requirements could not be resolved|"
        r"Unable to resolve dependency|No matching version found|failed to select a version|"
        r"cannot find package|unable to resolve|Resolving dependencies.*failed",
        0.8,
        D,
        flags=re.I,
    ),
    # --- compilers and linkers ---------------------------------------------------------------
    _rule("cc_error", r"^\S.*?:\d+(?::\d+)?:? (?:fatal )?error(?:\[\w+\])?:", 0.9, B),
    _rule("msvc_error", r"\(\d+(?:,\d+)?\): (?:fatal )?error [A-Z]+\d+:", 0.9, B),
    _rule("tsc_error", r"\(\d+,\d+\): error TS\d+:|^\S+:\d+:\d+ - error TS\d+:|error TS\d+:", 0.92, TY),
    _rule("mypy_error", r"^\S+\.pyi?:\d+: error: ", 0.92, TY),
    _rule("javac_error", r"^\[ERROR\] \S+\.(?:java|kt|scala|groovy):\[?\d+", 0.9, B),
    _rule("rust_error", r"^error\[E\d+\]: |^\s*--> \S+:\d+:\d+", 0.8, B),
    # "error: " without a code: rustc, but also git, cargo, clang drivers and many CLIs.
    _rule("error_prefix", r"^error: ", 0.6, U),
    _rule(
        "scala_error",
        r"^\[error\] (?!Total time|\(|stack trace is suppressed|Failed tests:|Error during tests:)\S",
        0.55,
        B,
    ),
    _rule("jvm_file_error", r"^\[(?:error|ERROR)\] \S+\.(?:scala|java|kt):\d+", 0.85, B),
    _rule("erlang_error", r"^\S+\.[eh]rl:\d+: (?!Warning:)\S", 0.85, B),
    _rule("markdownlint", r"^\S+\.md: ?\d+(?::\d+)?:? MD\d{3}/", 0.8, L),
    _rule("haskell_error", r"^\S+\.hs:\d+:\d+: (?:error|Warning|warning)", 0.8, B),
    _rule("swift_error", r"^\S+\.(?:swift|m|mm|h):\d+:\d+: error:|^❌ ", 0.85, B),
    # A warning fails a build only under -Werror, --strict and the like: weak evidence.
    _rule("compiler_warning", r"^\S+:\d+:\d+: warning: ", 0.45, B),
    _rule("go_build", r"^(?:\./|\S+/)\S+\.go:\d+:\d+: \S", 0.6, B),
    _rule(
        "linker",
        r"undefined reference to|ld: symbol\(s\) not found|collect2: error|"
        r"ld returned \d+ exit status|Undefined symbols for architecture|LNK\d{4}:",
        0.85,
        B,
    ),
    _rule("ninja_failed", r"^FAILED: ", 0.6, B),
    _rule("make_error", r"^make(?:\[\d+\])?: \*\*\* ", 0.35, B),
    _rule("cmake_error", r"^CMake Error", 0.75, B),
    _rule("gradle_wrong", r"^\* What went wrong:", 0.5, B, Block.HEADER),
    _rule("jvm_test_failed", r"^\S.* > \S.* FAILED$|\*\*\* FAILED \*\*\*|\[FAIL\]$|^\s*\[-\] ", 0.75, T, Block.HEADER),
    _rule("maven_goal", r"^\[ERROR\] Failed to execute goal", 0.55, B),
    _rule(
        "maven_error",
        r"^\[ERROR\] (?!\s*$|-> \[Help|To see the full stack|Re-run Maven|For more information|"
        r"Help 1|After correcting|\s+mvn <goals>)",
        0.3,
        U,
    ),
    # --- lint and format ---------------------------------------------------------------------
    _rule("flake8", r"^\S+\.py:\d+:\d+: [A-Z]{1,3}\d{3,4} ", 0.85, L),
    _rule("eslint", r"^\s+\d+:\d+\s+error\s+\S", 0.8, L),
    # Warnings fail a build only under --max-warnings: weaker than errors.
    _rule("eslint_warning", r"^\s+\d+:\d+\s+warning\s+\S", 0.4, L),
    _rule("lint_rule_suffix", r"^\S+:\d+(?::\d+)? .*\((?:[\w@-]+/)?[\w-]+\)$", 0.5, L),
    _rule("rubocop", r"^\S+\.rb:\d+:\d+: [CWEF]: ", 0.85, L),
    _rule(
        "formatter",
        r"^would reformat |Code style issues found|^--- .*\(original\)|"
        r"files? would be reformatted|Run .* --fix|not formatted|Diff in ",
        0.7,
        L,
    ),
    _rule("lint_summary", r"✖ \d+ problems?|^Found \d+ errors?\b|\d+ offenses? detected|Lint for ", 0.55, L),
    # --- test runners -------------------------------------------------------------------------
    _rule(
        "py_exception", r"^\s*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Interrupt)(?:: .*|)$", 0.75, T, Block.TRACEBACK
    ),
    _rule("pytest_location", r"^\S+\.py:\d+: (?:[\w.]+(?:Error|Exception)|in \S+)", 0.7, T, Block.TRACEBACK),
    _rule("pytest_header", r"^_{3,} .+ _{3,}$", 0.65, T, Block.HEADER),
    _rule("pytest_e", r"^E {2,}\S", 0.6, T, Block.TRACEBACK),
    # pytest's short test summary ("-rfE"); plugins may put the duration first ("FAILED [1.2s] x.py::t").
    _rule("pytest_failed", r"^(?:FAILED|ERROR) (?:\[[\d.]+m?s\] )?\S+(?:::|\.py)", 0.7, T),
    # The same line with the reason (pytest >= 6): test id and error in one statement, what a reader
    # fixes first; the traceback above says where.
    _rule("pytest_failed_reason", r"^(?:FAILED|ERROR) (?:\[[\d.]+m?s\] )?\S+::\S+ - \S", 0.85, T),
    # A rerun wrapper's final verdict: the test failed on every attempt, so it is not flaky.
    _rule(
        "rerun_verdict",
        r"^FAILED CONSISTENTLY:? \S+$|"
        r"^\S*[:./]\S* (?:failed|FAILED) (?:consistently|after \d+ (?:attempts|retries|reruns))\b",
        0.9,
        T,
    ),
    _rule("unittest_failed", r"^(?:FAIL|ERROR): \S+ \(|^FAIL: \S+", 0.8, T, Block.HEADER),
    _rule("traceback", r"^\s*Traceback \(most recent call last\):", 0.45, T, Block.HEADER),
    _rule("jest_failed", r"^\s*● (?!Console)", 0.8, T, Block.HEADER),
    _rule("mocha_failing", r"^\s+\d+ failing$", 0.4, T),
    _rule("first_numbered_failure", r"^\s*1\) \S", 0.8, T, Block.HEADER),
    _rule("numbered_failure", r"^\s*\d+\) \S", 0.45, T, Block.HEADER),
    # A runner's per-test verdict at the end of the line ("selections-trim ...  FAIL").
    _rule("verdict_suffix", r"\S\s+(?:FAIL|FAILED|ERROR)!?$", 0.55, T),
    _rule("minitest_failure", r"^(?:Failure|Error):$", 0.7, T, Block.HEADER),
    _rule(
        "assertion",
        r"AssertionError|AssertionFailedError|assert(?:ion)? failed|[Ee]xpected:? .* (?:but|got|to)\b|"
        r"expected:? <|Failed asserting|^\s*[Ee]xpected:? ",
        0.65,
        T,
    ),
    _rule("go_test_fail", r"^\s*--- FAIL: ", 0.8, T, Block.HEADER),
    # Erlang Common Test: "module:function failed on line N", then "Reason: ...". The module is
    # where the test failed: the suite itself or a helper it called.
    _rule("ct_case_failed", r"^\w+_SUITE:\w+ failed$|^[a-z]\w*:\w+ failed on line \d+$", 0.85, T, Block.HEADER),
    # PHP's run-tests: "FAIL <title> [<path>.phpt]" after the ====DIFF==== of expected/actual output.
    _rule("phpt_fail", r"^FAIL .+ \[\S+\.phpt\]\s*$", 0.8, T),
    # A PowerShell error record: the message, then "At <script>:<line> char:<n>", the
    # offending statement and "+ CategoryInfo ...". The position line introduces the record.
    _rule("powershell_error", r"^At (?:line:\d+ )?\S.*:\d+ char:\d+$", 0.85, U),
    # TAP (prove, tape, node-tap...): "not ok N - description", then an optional YAML
    # diagnostic block ("  ---" ... "  ..."). "# TODO" marks an expected failure.
    _rule("tap_not_ok", r"^not ok \d+(?!.*# TODO)", 0.7, T, Block.HEADER),
    # prove's verdict on a test script that exited non-zero; the script's own messages
    # (above it) say why, so it is weaker than them.
    _rule("prove_dubious", r"\bDubious, test returned [1-9]", 0.55, T),
    # A link checker's report of broken links (awesome_bot: "Issues :-(", then "> Links").
    _rule("link_check_issues", r"^Issues :-\($", 0.8, L, Block.HEADER),
    # A YAML/JSON/TOML parser's error with the position in the document.
    _rule(
        "parse_error",
        r"\bwhile (?:parsing|scanning) (?:a |an |the )?\w+.* at line \d+,? column \d+|"
        r"\b(?:[Pp]arse|[Ss]yntax) error\b.*\bline \d+,? column \d+",
        0.75,
        U,  # a configuration file, a document's front matter, a fixture: not necessarily the build
    ),
    # xcpretty's closing summary gives each failed test's source location on its own line.
    _rule("xcode_test_location", r"^\s+/\S+\.(?:swift|mm?):\d+$", 0.95, T),
    # xcpretty, Quick, mocha's and others' failed-test mark.
    _rule("cross_mark_failure", r"^\s*(?:[✗✘\u00d7]|✖(?! \d+ problems?)) \S", 0.7, T, Block.HEADER),
    _rule("java_uncaught", r"^Exception in thread \"[^\"]+\" \S", 0.85, T),
    _rule("go_panic", r"^panic: |^fatal error: ", 0.8, T),
    # Perl's die/croak message: "<message> at <file> line N." (warnings share the form).
    _rule("perl_die", r"^(?!.*\bdeprecated\b)\S.* at \S+\.(?:pm|pl|t) line \d+\.?$", 0.7, T),
    _rule("surefire_failure", r"^(?!Tests run:).*<<< (?:FAILURE|ERROR)!", 0.8, T, Block.HEADER),
    _rule("surefire_summary", r"^\[ERROR\] (?:Tests run:|Failures:|Errors:)|^Tests in error:|^Failed tests:", 0.6, T),
    _rule("rspec_failure", r"^\s+Failure/Error: ", 0.85, T),
    _rule("rspec_example", r"^rspec \./\S+:\d+", 0.5, T),
    _rule("cargo_test_fail", r"^test \S+ \.\.\. FAILED|^---- \S+ stdout ----", 0.7, T, Block.HEADER),
    _rule("rust_panic", r"thread '.*' panicked at", 0.85, T),
    _rule("failure_count_header", r"^There (?:was|were) \d+ (?:failures?|errors?):|^Failures:$", 0.4, T),
    _rule(
        "test_summary_failed",
        r"\b\d+ (?:failed|failures?|errors?)\b.*\b(?:passed|tests?|examples?|run)\b|"
        r"^Tests:\s+\d+ failed|^FAIL\s+\S+\s+[\d.]+s$|^FAIL\s+\S+$",
        0.3,
        T,
    ),
    _rule(
        "sanitizer",
        r"ERROR: (?:Address|Leak|Thread|Memory|UndefinedBehavior)Sanitizer|"
        r"Segmentation fault|core dumped|SIGSEGV|SIGABRT|SIGBUS|Abort trap",
        0.8,
        T,
    ),
    # --- generic words: weak evidence, useful when nothing specific matched -------------------
    _rule("fatal", r"fatal:|FATAL|^[Ee]rror: ", 0.55, U),
    _rule(
        "problem_phrase",
        r"\b(?:not (?:found|defined|installed|available|supported|allowed|permitted|recognized)|"
        r"no such (?:file|directory|command|option)|cannot|can't|could ?n[o']t|unable to|unexpected|invalid|"
        r"missing|denied|exceeded|undefined|unknown (?:option|command|flag|argument)|mismatch|"
        r"does ?n[o']t (?:exist|match)|"
        r"did ?n[o']t|is not (?:a|an|in|allowed|valid)|violat\w+|incorrect|too (?:long|many|large))\b",
        0.35,
        U,
        flags=re.I,
    ),
    _rule("aborted", r"\b(?:aborted|ABORTED)!?$|^Aborting\b", 0.5, U),
    # Hygiene gates: a build that leaves the checkout modified, a change over a size limit.
    _rule(
        "dirty_checkout",
        r"\b(?:checkout|working (?:tree|copy|directory)|repository|workspace) (?:is |was )?(?:left )?dirty\b|"
        r"\bleft .*\bdirty\b|uncommitted changes? (?:found|detected|after)",
        0.7,
        U,
        flags=re.I,
    ),
    _rule(
        "over_limit",
        r"\bwhich is (?:more|larger|bigger|greater) than the (?:\d[\d,.]* )?(?:maximum|limit)\b|"
        r"\bexceeds? the (?:\d[\d,.]* )?(?:maximum|limit)\b",
        0.6,
        U,
        flags=re.I,
    ),
    # A word inside a file or test name ("upload-error.sh ... ok") is not a report.
    _rule("error_word", r"(?<![\w./-])(?:error|ERROR|Error)S?(?![\w./-])", 0.3, U),
    _rule("fail_word", r"(?<![\w./-])(?:FAIL(?:ED|URE)?|[Ff]ail(?:ed|ure|ing|s)?)(?![\w./-])", 0.3, U),
    _rule("exception_word", r"\bException\b|\bexception\b", 0.2, U),
)

# Cheap `in` checks that skip the regex of the costlier unanchored rules on most lines.
_NEEDS: dict[str, tuple[str, ...]] = {
    "fatal": ("fatal", "error: "),
    "other_resolve": ("resolv", "packagesnotfound", "requirements", "no matching", "select a version", "find package"),
    "assertion": ("assert", "expected"),
    "py_exception": ("error", "exception", "interrupt"),
    "test_summary_failed": ("fail", "error"),
    "cargo_test_fail": ("failed", "---- "),
    "oom": ("memory", "bad_alloc", "137", "killed", "oom"),
    "aborted": ("abort",),
    "dirty_checkout": ("dirty", "uncommitted"),
    "over_limit": ("maximum", "limit"),
    "perl_die": (".t line ", ".pm line ", ".pl line "),
    "parse_error": ("column",),
    "powershell_error": (" char:",),
    "surefire_failure": ("<<< ",),
    "network": ("resolv", "connection", "econn", "etimedout", "rate limit", "50", "timeout", "timed out", "download"),
    "timeout": ("timed out", "exceeded", "no output", "timeout"),
    "timeout_wrapper": ("command took",),
    "sanitizer": ("sanitizer", "segmentation", "core dumped", "sig", "abort trap"),
    "exception_word": ("exception",),
    "error_word": ("error",),
    "fail_word": ("fail",),
    "cancelled": ("cancel", "sigint"),
    "runner_lost": ("runner", "lost communication", "pod failed"),
    "formatter": ("reformat", "code style", "(original)", "--fix", "formatted", "diff in"),
    "lint_summary": ("✖", "error", "offense", "lint for"),
    "linker": ("undefined", "ld", "collect2", "lnk"),
    "bundler": ("gem", "bundler", "installing", "could not find"),
    "maven_resolve": ("could not", "artifact", "non-resolvable"),
}
RULES = tuple(replace(rule, needs=_NEEDS.get(rule.name, ())) for rule in RULES)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


# --- What the matcher may skip on (see rule_matcher): keep these in step with the rules ---------
# Literals (lower-case) one of which every match of a rule's unanchored alternatives contains.
ANYWHERE_HINTS: dict[str, tuple[str, ...]] = {
    "timeout_wrapper": (", returning",),
    "oom": ("memory", "bad_alloc", "exit code 137", "oom-kill"),
    "network": (
        "resolve host", "failure in name resolution", "connection refused", "connection reset by peer", "econn",
        "etimedout", "rate limit exceeded", "gateway", "service unavailable", "tls handshake timeout",
        "download has timed out", "failed to download",
    ),
    "maven_resolve": (
        "could not resolve dependencies", "could not find artifact", "could not transfer artifact",
        "failed to read artifact descriptor", "non-resolvable parent pom",
    ),
    "bundler": ("could not find", "error occurred while installing", "gem::ext::builderror"),
    "other_resolve": (
        "packagesnotfounderror", "could not be resolved", "unable to resolve", "no matching version found",
        "failed to select a version", "cannot find package", "failed",
    ),
    "msvc_error": ("error",),
    "tsc_error": ("error ts",),
    "linker": ("undefined", "symbol(s) not found", "collect2: error", "ld returned ", "lnk"),
    "jvm_test_failed": ("*** failed ***", "[fail]"),
    "formatter": ("code style issues found", "would be reformatted", "--fix", "not formatted", "diff in "),
    "lint_summary": ("✖ ", "offense", "lint for "),
    "verdict_suffix": ("fail", "error"),
    "prove_dubious": ("dubious, test returned ",),
    "parse_error": ("line ",),
    "rust_panic": ("' panicked at",),
    "test_summary_failed": (" failed", " failure", " error"),
    "sanitizer": ("error: ", "segmentation fault", "core dumped", "sigsegv", "sigabrt", "sigbus", "abort trap"),
    "fatal": ("fatal",),
    "problem_phrase": (
        "not ", "no such ", "cannot", "can't", "could", "unable to", "unexpected", "invalid", "missing", "denied",
        "exceeded", "undefined", "unknown ", "mismatch", "does", "did", "violat", "incorrect", "too ",
    ),
}
# Endings one of which a line (as the rule sees it) has for an unanchored alternative ending in `$` to match.
ANYWHERE_ENDINGS: dict[str, tuple[str, ...]] = {
    "verdict_suffix": ("FAIL", "FAILED", "ERROR", "FAIL!", "FAILED!", "ERROR!"),
    "aborted": ("aborted", "ABORTED", "aborted!", "ABORTED!"),
}
# Literals (lower-case) one of which every match of a rule's `^`-anchored alternatives contains,
# for those that scan the line (`^\S.*?:\d+...`) rather than fail at its first characters.
AT_START_HINTS: dict[str, tuple[str, ...]] = {
    "cc_error": ("error",),
    "jvm_test_failed": (" failed", "[-] "),
    "formatter": ("would reformat ", "(original)"),
    "surefire_failure": ("<<< failure!", "<<< error!"),
}
# The same matches as a rule's unanchored alternatives, written to start with a literal so
# that the regex engine skips ahead to it: `\bword` is `w(?<!\ww)ord`.
ANYWHERE_EQUIVALENTS: dict[str, str] = {
    "error_word": r"(?:e(?<![\w./-]e)rror|E(?<![\w./-]E)(?:RROR|rror))S?(?![\w./-])",
    "fail_word": (
        r"(?:F(?<![\w./-]F)(?:AIL(?:ED|URE)?|ail(?:ed|ure|ing|s)?)|f(?<![\w./-]f)ail(?:ed|ure|ing|s)?)(?![\w./-])"
    ),
    "exception_word": r"(?:E(?<!\wE)|e(?<!\we))xception\b",
    "test_summary_failed": r"\d(?<!\w\d)\d* (?:failed|failures?|errors?)\b.*\b(?:passed|tests?|examples?|run)\b",
    "problem_phrase": (
        r"(?:n(?<!\wn)(?:ot (?:found|defined|installed|available|supported|allowed|permitted|recognized)|"
        r"o such (?:file|directory|command|option))|c(?<!\wc)(?:annot|an't|ould ?n[o']t)|"
        r"u(?<!\wu)(?:nable to|nexpected|ndefined|nknown (?:option|command|flag|argument))|"
        r"i(?<!\wi)(?:nvalid|ncorrect|s not (?:a|an|in|allowed|valid))|m(?<!\wm)(?:issing|ismatch)|"
        r"d(?<!\wd)(?:enied|oes ?n[o']t (?:exist|match)|id ?n[o']t)|e(?<!\we)xceeded|v(?<!\wv)iolat\w+|"
        r"t(?<!\wt)oo (?:long|many|large))\b"
    ),
}
