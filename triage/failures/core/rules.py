"""Versioned line rules: patterns that mark a CI log line as evidence of a failure.

Every rule is a general tool or language pattern (a compiler's error format, a test
runner's failure header, a package manager's resolution error), never a string taken from
one repository. Bump `RULES_VERSION` whenever a rule is added, removed or re-weighted:
stored analyses record the version that produced them, so they can be recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

# Lines that mention failure words but only report or wrap a failure found elsewhere.
NOISE = re.compile(
    r"^##\[error\]Process completed with exit code|^The command \".*\" exited with|\" exited with \d+\.$|"
    r"^Done\. Your build exited with|exited with code|failed with exit code|^exit status \d+$|"
    r"^info Visit https://yarnpkg\.com/|"
    r"Executing the custom container implementation|"
    r"take a look at the log above|recipe for target .* failed|^make(?:\[\d+\])?: (?:Leaving|Entering) directory|"
    r"^Randomized with seed|See full trace|^-- Docs: |^npm ERR! (?:A complete log|\s*$|Exit status|Failed at the|"
    r"This is probably not a problem|Tell the author|You can get (?:their|information))|"
    r"^\[ERROR\] (?:-> \[Help|To see the full|Re-run Maven|For more information|\s*$)|"
    r"^ERROR: (?:InvocationError|Job failed)|^Error: Process completed|^make(?:\[\d+\])?: \*\*\* \[.*\] Error \d+$|"
    r"^npm ERR! (?!code|404|ERESOLVE|peer)|^npm ERR! code ELIFECYCLE|"
    r"^error: (?:build failed|test failed|aborting due to)|error:? [Cc]ould not compile `|"
    r"TestsFailedException|^\[error\] \(|^\[ERROR\]\s+mvn <goals>|"
    r"--(?:fail|error)\S*|\berror[_-]?(?:prone|handling|s\.go|\.rb|\.py|\.js|\.ts)\b|"
    r"(?<!\[-)(?<!, -)Werror|\bno errors?\b|"  # a -Werror flag, not the [-Werror=x] tag of an error
    r"\b0 (?:failed|failures|errors)\b|\b(?:[Ff]ailed|[Ff]ailures|[Ee]rrors): 0\b|"
    r"^The command \"|fail-fast|continue-on-error|allow_failures|"  # a Travis exit message wrapped over lines
    r"^(?:Installing|Collecting|Downloading|Requirement already|Using cached|Fetching|Resolving) ",
)

# Every rule above needs one of these in its (lower-cased) line to match. Finding the
# candidate lines with fast literal searches first, then running the rules on those lines
# only, keeps the analysis fast on long logs. Keep this in step with the rules.
PREFILTER_WORDS: tuple[str, ...] = (
    "error",
    "err!",
    "fail",
    "exception",
    "fatal",
    "panic",
    "assert",
    "timed out",
    "timeout",
    "time limit",
    "killed",
    "memory",
    "bad_alloc",
    "oom",
    "137",
    "cancel",
    "sigsegv",
    "sigabrt",
    "sigbus",
    "sigint",
    "sigkill",
    "sigterm",
    "segmentation",
    "abort",
    "traceback",
    "expected",
    "interrupt",
    "✖",
    "✗",
    "✘",
    "\u00d7 ",
    "●",
    "❌",
    "[-] ",
    "not ok",
    "dubious",
    "___ ",
    "---- ",
    "->",
    "reformat",
    "code style",
    "(original)",
    "--fix",
    "diff in",
    "lint",
    "problem",
    "offense",
    "warning",
    "exceeded",
    "runner",
    "shutdown",
    "lost",
    "unavailable",
    "gateway",
    "refused",
    "resolve",
    "network",
    "econn",
    "etimedout",
    "no output",
    "no matching",
    "returning",
    "requirements",
    "invalid",
    "denied",
    "missing",
    "wrong",
    "not ",
    "no such",
    "cannot",
    "can't",
    "could",
    "unable",
    "undefined",
    "unexpected",
    "unknown",
    "mismatch",
    "didn't",
    "doesn't",
    "violat",
    "incorrect",
    "too ",
    "lnk",
    "dirty",
    "uncommitted",
    "maximum",
    "limit",
    ".swift:",
    ".m:",
    ".mm:",
    ".t line ",
    ".pm line ",
    ".pl line ",
    ".erl:",
    ".phpt]",
    " char:",
    ":-(",
    "column",
    ".hrl:",
    " md0",
)
PREFILTER_SHAPES = re.compile(
    r"^(?:e {2,}|[ \t]*\d+\) |rspec |make|cmake|ld: )|:\d+:\d+: |\.py:\d+: |\(\d+(?:,\d+)?\): |\([\w@/-]+\)$",
    re.M,
)


# --- Running the rules fast -----------------------------------------------------------------
# `matching_rules` and `is_noise` give exactly the answers of `rule.pattern.search` and
# `NOISE.search` on a line, several times faster:
#
# * a rule's `^`-anchored alternatives can only match at the start of the line: one `match`
#   of all of them together tells whether any does;
# * its other alternatives run only on the lines containing a literal that each of their
#   matches contains (the hints below, else the rule's `needs`). When the caller knows which
#   `PREFILTER_WORDS` a line contains (it found them to pick the candidate lines), the
#   hints that contain such a word are checked through that knowledge, without scanning
#   the line again.
#
# A rule missing from the tables below is still matched correctly, only more slowly.


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression: `a|b(c|d)` -> `a`, `b(c|d)`."""
    parts: list[str] = []
    current: list[str] = []
    depth, in_class, index = 0, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            current.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            current.append(char)
            index += 1
            for special in "^]":  # `[^]...]` and `[]...]`: a leading `]` is a literal
                if pattern[index : index + 1] == special:
                    current.append(special)
                    index += 1
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    if "|".join(parts) != pattern:  # pragma: no cover - a parsing mistake
        raise ValueError(f"cannot split {pattern!r}")
    return parts


# Literals (lower-case) one of which every match of a rule's unanchored alternatives contains.
_ANYWHERE_HINTS: dict[str, tuple[str, ...]] = {
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
_ANYWHERE_ENDINGS: dict[str, tuple[str, ...]] = {
    "verdict_suffix": ("FAIL", "FAILED", "ERROR", "FAIL!", "FAILED!", "ERROR!"),
    "aborted": ("aborted", "ABORTED", "aborted!", "ABORTED!"),
}
# Literals (lower-case) one of which every match of a rule's `^`-anchored alternatives contains,
# for those that scan the line (`^\S.*?:\d+...`) rather than fail at its first characters.
_AT_START_HINTS: dict[str, tuple[str, ...]] = {
    "cc_error": ("error",),
    "jvm_test_failed": (" failed", "[-] "),
    "formatter": ("would reformat ", "(original)"),
    "surefire_failure": ("<<< failure!", "<<< error!"),
}
# The same matches as a rule's unanchored alternatives, written to start with a literal so
# that the regex engine skips ahead to it: `\bword` is `w(?<!\ww)ord`.
_ANYWHERE_EQUIVALENTS: dict[str, str] = {
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


@dataclass(frozen=True)
class _Part:
    """The anchored or the unanchored alternatives of a rule, and what a line needs for them."""

    index: int  # of the rule in RULES
    rule: Rule
    pattern: re.Pattern[str]
    anchored: bool  # `^` alternatives only: `match`, not `search`
    hints: tuple[str, ...] = ()  # lower-case literals one of which every match contains
    endings: tuple[str, ...] = ()  # one of which every matching line ends with
    words: frozenset[str] = frozenset()  # prefilter words contained in hints (a line with none lacks those hints)
    unworded: tuple[str, ...] = ()  # the hints containing no prefilter word
    gated: bool = False  # whether `words` and `unworded` cover every match


def _part(index: int, rule: Rule, source: str, anchored: bool, hints: tuple[str, ...], endings=()) -> _Part:
    """A part, with the prefilter words standing for its hints (or its rule's `needs`)."""
    best: tuple[set[str], list[str]] | None = None
    for literals in (hints, rule.needs):  # either is a condition: use the one better expressed in words
        if not literals:
            continue
        words: set[str] = set()
        unworded: list[str] = []
        for literal in literals:
            inside = [word for word in PREFILTER_WORDS if word in literal]
            if inside:
                words.add(max(inside, key=len))  # the line contains it whenever it contains the literal
            else:
                unworded.append(literal)
        if best is None or len(unworded) < len(best[1]):
            best = (words, unworded)
    return _Part(
        index, rule, re.compile(source, rule.pattern.flags), anchored, hints, endings,
        frozenset(best[0]) if best else frozenset(), tuple(best[1]) if best else (), best is not None,
    )


def _plan() -> tuple[tuple[tuple[bool, re.Pattern[str]], ...], tuple[_Part, ...], tuple[_Part, ...]]:
    starts: list[_Part] = []  # anchored parts tried only when one of them matches (see `any_start`)
    gated: list[_Part] = []  # parts tried on the lines having their `needs`, hints and endings
    for index, rule in enumerate(RULES):
        alternatives = _alternatives(rule.pattern.pattern)
        anchored = [alternative for alternative in alternatives if alternative.startswith("^")]
        others = [alternative for alternative in alternatives if not alternative.startswith("^")]
        if anchored:
            part = _part(index, rule, "|".join(anchored), True, _AT_START_HINTS.get(rule.name, ()))
            (gated if part.gated else starts).append(part)
        if others:
            source = _ANYWHERE_EQUIVALENTS.get(rule.name, "|".join(others))
            hints, endings = _ANYWHERE_HINTS.get(rule.name, ()), _ANYWHERE_ENDINGS.get(rule.name, ())
            gated.append(_part(index, rule, source, False, hints, endings))
    # One `match` per group of start parts (by the text they see and their flags): does any match?
    groups: dict[tuple[bool, int], list[str]] = {}
    for part in starts:
        groups.setdefault((part.rule.on_lower, part.pattern.flags), []).append(f"(?:{part.pattern.pattern})")
    any_start = tuple((on_lower, re.compile("|".join(sources), flags)) for (on_lower, flags), sources in groups.items())
    return any_start, tuple(starts), tuple(gated)


_ANY_START, _STARTS, _GATED = _plan()
_UNGATED = tuple(position for position, part in enumerate(_GATED) if not part.gated)
_UNWORDED = tuple((position, part.unworded) for position, part in enumerate(_GATED) if part.gated and part.unworded)
_BY_WORD: dict[str, tuple[int, ...]] = {
    word: tuple(position for position, part in enumerate(_GATED) if part.gated and word in part.words)
    for word in PREFILTER_WORDS
}


def matching_rules(line: str, lower: str, words: Iterable[str] | None = None) -> list[Rule]:
    """The rules found in `line` (one line: no newline; `lower` is `line.lower()`), in `RULES` order.

    The same as `[rule for rule in RULES if (not rule.needs or any(word in lower for word in
    rule.needs)) and rule.pattern.search(lower if rule.on_lower else line)]`: a `^` matches at
    the start of a line only, so the anchored alternatives are the same with `match`.

    `words`, when given, are all the `PREFILTER_WORDS` that the line's lower-cased text
    (possibly longer than `line`, which can be its start) contains.
    """
    found: list[int] = []
    if any(pattern.match(lower if on_lower else line) for on_lower, pattern in _ANY_START):
        for part in _STARTS:
            if part.pattern.match(lower if part.rule.on_lower else line):
                found.append(part.index)
    if words is None:
        parts: Iterable[_Part] = _GATED
    else:  # the hints of the parts selected here are as good as checked (they are only a pre-check)
        selected = set(_UNGATED)
        for word in words:
            selected.update(_BY_WORD.get(word, ()))
        for position, unworded in _UNWORDED:
            if position not in selected and any(literal in lower for literal in unworded):
                selected.add(position)
        parts = [_GATED[position] for position in sorted(selected)]
    for part in parts:
        rule = part.rule
        needs = rule.needs
        if needs and not (needs[0] in lower if len(needs) == 1 else any(word in lower for word in needs)):
            continue
        if words is None and part.hints and not any(word in lower for word in part.hints):
            continue
        text = lower if rule.on_lower else line
        if part.endings and not text.endswith(part.endings):
            continue
        if (part.pattern.match if part.anchored else part.pattern.search)(text):
            found.append(part.index)
    if not found:
        return []
    return [RULES[index] for index in sorted(set(found))]


_NOISE_ALTERNATIVES = _alternatives(NOISE.pattern)
_NOISE_AT_START = re.compile("|".join(a for a in _NOISE_ALTERNATIVES if a.startswith("^")), NOISE.flags)
_NOISE_ANYWHERE = re.compile("|".join(a for a in _NOISE_ALTERNATIVES if not a.startswith("^")), NOISE.flags)
# Literals one of which every match of NOISE's unanchored alternatives contains (case as written).
_NOISE_HINTS = (
    "exited with ", "failed with exit code", "Executing the custom container", "take a look at the log above",
    "recipe for target ", "See full trace", "ould not compile `", "TestsFailedException", "--fail", "--error",
    "Werror", "no error", "0 failed", "0 failures", "0 errors", "ailed: 0", "ailures: 0", "rrors: 0",
    "fail-fast", "continue-on-error", "allow_failures",
)
_NOISE_ERROR_HINT = re.compile(r"error[_-]?(?:prone|handling|s\.go|\.rb|\.py|\.js|\.ts)")


def is_noise(line: str) -> bool:
    """`bool(NOISE.search(line))`, faster."""
    if _NOISE_AT_START.match(line):
        return True
    if any(word in line for word in _NOISE_HINTS) or _NOISE_ERROR_HINT.search(line):
        return _NOISE_ANYWHERE.search(line) is not None
    return False


# PREFILTER_SHAPES in two parts that the regex engine can skip ahead through (an alternation
# starting with `^` is tried at every character): the line starts (after a newline, or where
# a search starts), and the alternatives found anywhere in a line.
_SHAPE_ALTERNATIVES = _alternatives(PREFILTER_SHAPES.pattern)
_SHAPE_STARTS = "|".join(a[1:] for a in _SHAPE_ALTERNATIVES if a.startswith("^"))
SHAPE_AT_START = re.compile(f"(?:{_SHAPE_STARTS})", PREFILTER_SHAPES.flags)  # `match` at a line's start
SHAPE_AFTER_NEWLINE = re.compile(f"\n(?=(?:{_SHAPE_STARTS}))", PREFILTER_SHAPES.flags)  # the newline before it
SHAPE_ANYWHERE = re.compile("|".join(a for a in _SHAPE_ALTERNATIVES if not a.startswith("^")), PREFILTER_SHAPES.flags)
