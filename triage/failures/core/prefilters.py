"""What a line needs before any rule can match it, and the lines that only report a failure
found elsewhere. Data, kept in step with the rules of `rules`; `rule_matcher` and `rootcause`
use it to skip most lines of a log."""

from __future__ import annotations

import re

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

# Literals one of which every match of NOISE's unanchored alternatives contains (case as written).
NOISE_HINTS = (
    "exited with ", "failed with exit code", "Executing the custom container", "take a look at the log above",
    "recipe for target ", "See full trace", "ould not compile `", "TestsFailedException", "--fail", "--error",
    "Werror", "no error", "0 failed", "0 failures", "0 errors", "ailed: 0", "ailures: 0", "rrors: 0",
    "fail-fast", "continue-on-error", "allow_failures",
)
NOISE_ERROR_HINT = re.compile(r"error[_-]?(?:prone|handling|s\.go|\.rb|\.py|\.js|\.ts)")
