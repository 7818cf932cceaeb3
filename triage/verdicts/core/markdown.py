"""The check run a maintainer reads on GitHub: title, summary and text in Markdown, in words
(risk as a rounded percentage with its level and reasons, duplicates with links and what they
share, failed checks with their category, whose failure it is and the root-cause lines), the
root-cause lines that name a file of the pull request as annotations, and the conclusion."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from triage.verdicts.core.facts import (
    COMPETING,
    SAME_CHANGE,
    SAME_FEATURE,
    CandidateFacts,
    FailedCheckFacts,
    Gates,
    RiskFacts,
    VerdictFacts,
)

MAX_TITLE = 120
MAX_MARKDOWN = 60_000  # GitHub refuses more than 65,535 characters in summary or text
MAX_ANNOTATIONS = 50  # per request, GitHub's limit
QUOTED_LINES = 8
RERUN_ACTION = {"label": "Re-analyse", "description": "Run GitInsight's analyses again",
                "identifier": "rerun"}

CATEGORY_WORDS = {
    "test_failure": "a failing test",
    "lint_format": "lint or formatting",
    "type_check": "type errors",
    "build_compile": "the build does not compile",
    "dependency_install": "dependencies could not be installed",
    "infrastructure": "the runner or the network failed",
    "unknown": "no known failure pattern",
}
SHARED_WORDS = {
    "production_paths": "both change",
    "symbols": "same symbols",
    "tests": "same tests",
    "references": "same issues referenced",
}
_LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}
_PATH_LINE = re.compile(r"(?<![\w/.-])(?P<path>[\w.-]+(?:/[\w.-]+)*\.[A-Za-z0-9]+)[:(](?P<line>\d+)")


@dataclass(frozen=True)
class CheckRunContent:
    status: str  # in_progress, completed
    conclusion: str  # "" while in progress; neutral or failure
    title: str
    summary: str
    text: str = ""
    annotations: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def digest(self) -> str:
        """Equal for equal content: an unchanged verdict is not posted again."""
        payload = [self.status, self.conclusion, self.title, self.summary, self.text, list(self.annotations)]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def body(self) -> dict[str, Any]:
        """The create/update body GitHub's check-runs endpoints take."""
        output: dict[str, Any] = {"title": self.title, "summary": self.summary}
        if self.text:
            output["text"] = self.text
        if self.annotations:
            output["annotations"] = [dict(annotation) for annotation in self.annotations]
        body: dict[str, Any] = {"status": self.status, "output": output, "actions": [RERUN_ACTION]}
        if self.status == "completed":
            body["conclusion"] = self.conclusion
        return body


def check_run_content(facts: VerdictFacts, gates: Gates) -> CheckRunContent:
    """The check run for `facts`: in progress while a part is pending, else completed with the
    conclusion the gates give."""
    annotations, annotated = _annotations(facts)
    parts = [
        _risk_section(facts),
        _duplicates_section(facts, gates),
        _checks_section(facts, gates, annotated),
    ]
    pending = facts.pending
    failing = [] if pending else _gate_reasons(facts, gates)
    conclusion = "" if pending else ("failure" if failing else "neutral")
    parts.append(_closing(facts, pending, failing))
    text = _quoted_root_causes(facts, annotated)
    return CheckRunContent(
        status="in_progress" if pending else "completed",
        conclusion=conclusion,
        title=_title(facts, gates, pending),
        summary=_clip("\n\n".join(part for part in parts if part)),
        text=_clip(text),
        annotations=tuple(annotations[:MAX_ANNOTATIONS]),
    )


def superseded_content(*, new_head_sha: str) -> CheckRunContent:
    """What the check run of an old head says once a newer push replaced it."""
    return CheckRunContent(
        status="completed", conclusion="skipped", title=f"Superseded by a newer push ({new_head_sha[:7]})",
        summary=(f"This head was replaced by {new_head_sha[:7]} before its analyses finished. GitInsight's "
                 "verdict is on the newer head's check run."),
    )


# --- title --------------------------------------------------------------------------------

def _title(facts: VerdictFacts, gates: Gates, pending: list[str]) -> str:
    parts = []
    if facts.risk is not None:
        parts.append(f"{facts.risk.level.capitalize()} risk ({_percent(facts.risk.probability)})")
    same = [c for c in facts.candidates if _same_change(c, gates)]
    if same:
        parts.append(f"same change as #{same[0].number}")
    caused = [check for check in facts.checks if check.status == "done" and check.attribution == "new"]
    failed = [check for check in facts.checks if check.status != "pending"]
    if caused:
        parts.append(f"{_count(len(caused), 'failed check')} new with this pull request")
    elif failed:
        parts.append(f"{_count(len(failed), 'failed check')}, none new with this pull request")
    if pending:
        parts.append("still analysing")
    title = "; ".join(parts) if parts else "Nothing needs attention"
    title = title[:1].upper() + title[1:]
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


# --- commit risk --------------------------------------------------------------------------

def _risk_section(facts: VerdictFacts) -> str:
    if facts.risk is not None:
        return _risk_sentence(facts.risk)
    if facts.risk_pending:
        return "**Commit risk:** being assessed."
    return f"**Commit risk:** not assessed — {facts.risk_unavailable or 'no prediction for this head'}."


def _risk_sentence(risk: RiskFacts) -> str:
    head = f"**Commit risk: {risk.level} ({_percent(risk.probability)}).**"
    why = []
    if risk.standing:
        why.append(_sentence_case(risk.standing))
    if risk.reasons:
        reasons = "; ".join(risk.reasons[:3])
        why.append(f"What raised it most: {reasons}" if why else _sentence_case(reasons))
    if not why:
        commits = f" from {_count(risk.commit_count, 'commit')}" if risk.commit_count else ""
        why.append(f"Predicted{commits}; the factors behind it are listed in GitInsight")
    return f"{head} " + ". ".join(why) + "."


# --- duplicates ---------------------------------------------------------------------------

def _same_change(candidate: CandidateFacts, gates: Gates) -> bool:
    return candidate.category == SAME_CHANGE and candidate.score >= gates.same_change_min_score


def _public_candidates(facts: VerdictFacts, gates: Gates) -> list[tuple[str, CandidateFacts]]:
    """(how it is said, candidate) for the candidates the thresholds let GitHub hear about."""
    said = []
    for candidate in facts.candidates:
        if _same_change(candidate, gates):
            said.append(("The same change as", candidate))
        elif candidate.category == SAME_CHANGE:
            said.append(("Overlaps with", candidate))
        elif candidate.category == SAME_FEATURE:
            said.append(("Works on the same feature as", candidate))
        elif candidate.category == COMPETING:
            said.append(("Competes with another implementation:", candidate))
    return said


def _duplicates_section(facts: VerdictFacts, gates: Gates) -> str:
    heading = "**Duplicate and competing pull requests**"
    if facts.duplicates_pending:
        return f"{heading}: being looked for."
    if facts.duplicates_unavailable:
        return f"{heading}: not looked for — {facts.duplicates_unavailable}."
    said = _public_candidates(facts, gates)
    if not said:
        return f"{heading}: none found."
    lines = [heading]
    for how, candidate in said:
        state = " (merged)" if candidate.merged else (" (closed)" if candidate.state == "closed" else "")
        link = f"[#{candidate.number} {_inline(candidate.title)}]({candidate.url})" if candidate.url else (
            f"#{candidate.number} {_inline(candidate.title)}")
        shared = _shared(candidate)
        lines.append(f"- {how} {link}{state}, {_percent(candidate.score)} alike{': ' + shared if shared else ''}.")
    return "\n".join(lines)


def _shared(candidate: CandidateFacts) -> str:
    parts = []
    for key, words in SHARED_WORDS.items():
        values = candidate.shared.get(key) or ()
        if values:
            shown = ", ".join(f"`{_code(value)}`" for value in values[:5])
            more = f" and {len(values) - 5} more" if len(values) > 5 else ""
            parts.append(f"{words} {shown}{more}")
    return "; ".join(parts)


# --- failed checks ------------------------------------------------------------------------

def _checks_section(facts: VerdictFacts, gates: Gates, annotated: dict[str, int]) -> str:
    if not facts.checks:
        return ""
    lines = ["**Failed checks**"]
    for check in facts.checks:
        name = f"[{_inline(check.name)}]({check.url})" if check.url else f"**{_inline(check.name)}**"
        lines.append(f"- {name}{_check_words(check, gates, annotated)}")
    return "\n".join(lines)


def _check_words(check: FailedCheckFacts, gates: Gates, annotated: dict[str, int]) -> str:
    if check.status == "pending":
        return ": being analysed."
    if check.status == "failed":
        return f": not analysed, {_inline(check.error) or 'for no reason given'}."
    category = CATEGORY_WORDS.get(check.category, "no known failure pattern")
    return f" — {category}. {_attribution_words(check, gates)}{_root_cause_pointer(check, annotated)}"


def failed_check_sentences(facts: VerdictFacts, gates: Gates) -> dict[int, str]:
    """What the check run says about each analysed failed check, by analysis id: what a
    "notify the author" attempt records as sent."""
    _, annotated = _annotations(facts)
    return {check.analysis: f"{check.name}{_check_words(check, gates, annotated)}"
            for check in facts.checks if check.analysis and check.status == "done"}


def author_comment(facts: VerdictFacts, gates: Gates, *, check_run_url: str) -> str | None:
    """The comment that mentions the author: what needs them (failed checks new with this pull
    request, a duplicate, a failing gate), or that nothing does any more; None when there is
    nothing to tell and no comment yet needs correcting (the caller knows which)."""
    caused = [check for check in facts.checks if check.status == "done" and check.attribution == "new"]
    same = [c for c in facts.candidates if _same_change(c, gates)]
    failing = _gate_reasons(facts, gates)
    mention = f"@{facts.author}" if facts.author else "Hello"
    lines = []
    for check in caused:
        first = f": `{_code(check.root_cause[0].text)}`" if check.root_cause else ""
        lines.append(f"- **{_inline(check.name)}** fails with {CATEGORY_WORDS.get(check.category, 'an error')}, "
                     f"and nothing but this pull request explains it{first}.")
    for candidate in same:
        merged = ", already merged" if candidate.merged else ""
        lines.append(f"- It looks like the same change as #{candidate.number}{merged}.")
    if failing:
        lines.append(f"- The GitInsight check fails because {_join(failing)}.")
    if not lines:
        return (f"{mention}, GitInsight's check on {facts.head_sha[:7]} finds nothing that needs you now. "
                f"[The check run]({check_run_url}) has the details.")
    return "\n".join([f"{mention}, GitInsight's check on {facts.head_sha[:7]} found what needs you:", *lines, "",
                      f"[The check run]({check_run_url}) has the details; maintainers can re-analyse it there."])


def author_needs_telling(facts: VerdictFacts, gates: Gates) -> bool:
    return bool([c for c in facts.checks if c.status == "done" and c.attribution == "new"]
                or [c for c in facts.candidates if _same_change(c, gates)] or _gate_reasons(facts, gates))


def _attribution_words(check: FailedCheckFacts, gates: Gates) -> str:
    """Whose failure it is, in words: a verdict only at the public confidence, else "possibly"
    with the evidence (the costliest error is telling an author a real failure is not theirs)."""
    details = "; ".join(_inline(item.detail) for item in check.evidence if item.detail)
    sure = check.confidence >= gates.public_confidence
    if check.attribution == "flaky":
        if sure:
            return f"Flaky, not caused by this pull request: {details}."
        return (f"Possibly flaky ({details}), but below the confidence GitInsight needs to say so "
                f"({_percent(gates.public_confidence)}): treat it as this pull request's until a re-run passes.")
    if check.attribution == "broken_trunk":
        if sure:
            return f"Broken on the base branch too, not caused by this pull request: {details}."
        return (f"Possibly broken on the base branch too ({details}), but below the confidence GitInsight needs "
                "to say so: treat it as this pull request's until the base branch is checked.")
    if check.attribution == "unstable":
        return f"A job known to be unstable ({details}); it does not block this pull request."
    if check.attribution == "new":
        return f"New with this pull request, as far as GitInsight can tell ({details or 'nothing else explains it'})."
    return "Whose failure it is could not be told."


def _root_cause_pointer(check: FailedCheckFacts, annotated: dict[str, int]) -> str:
    if not check.root_cause:
        return ""
    first = check.root_cause[0]
    count = annotated.get(check.name, 0)
    if count:
        return f" Root cause: `{_code(first.text)}` (log line {first.number}), annotated on the changed file."
    return f" Root cause: `{_code(first.text)}` (log line {first.number}); the lines are quoted below."


def _annotations(facts: VerdictFacts) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Root-cause lines that name a file this pull request changes, with a line number, become
    annotations there (GitHub annotates files of the repository, not other apps' logs)."""
    annotations: list[dict[str, Any]] = []
    annotated: dict[str, int] = {}
    for check in facts.checks:
        if check.status != "done":
            continue
        for line in check.root_cause:
            match = _PATH_LINE.search(line.text)
            if not match or match.group("path").lstrip("./") not in facts.changed_paths:
                continue
            number = int(match.group("line"))
            if number < 1:
                continue
            annotations.append({
                "path": match.group("path").lstrip("./"), "start_line": number, "end_line": number,
                "annotation_level": "failure" if check.attribution == "new" else "warning",
                "title": f"{check.name}: {CATEGORY_WORDS.get(check.category, 'failed')}"[:255],
                "message": f"{line.text.strip()} (log line {line.number})"[:1000],
            })
            annotated[check.name] = annotated.get(check.name, 0) + 1
    return annotations, annotated


def _quoted_root_causes(facts: VerdictFacts, annotated: dict[str, int]) -> str:
    blocks = []
    for check in facts.checks:
        if check.status != "done" or not check.root_cause or annotated.get(check.name):
            continue
        lines = "\n".join(f"{line.number:>6}  {line.text}" for line in check.root_cause[:QUOTED_LINES])
        fence = "````" if "```" in lines else "```"
        blocks.append(f"**{_inline(check.name)}**, root-cause lines of the log:\n{fence}text\n{lines}\n{fence}")
        if check.suggested_fix:
            blocks.append(check.suggested_fix)
    return "\n\n".join(blocks)


# --- conclusion ---------------------------------------------------------------------------

def _gate_reasons(facts: VerdictFacts, gates: Gates) -> list[str]:
    """Why the check run concludes failure, one sentence per gate it meets (none: neutral)."""
    reasons = []
    if gates.fail_at_risk and facts.risk is not None and (
            _LEVEL_RANK.get(facts.risk.level, 0) >= _LEVEL_RANK.get(gates.fail_at_risk, 3)):
        reasons.append(f"its commit risk is {facts.risk.level}, and this repository fails pull requests "
                       f"at {gates.fail_at_risk} risk{' or above' if gates.fail_at_risk == 'medium' else ''}")
    if gates.fail_on_merged_duplicate:
        merged = [c for c in facts.candidates if _same_change(c, gates) and c.merged]
        if merged:
            reasons.append(f"it is the same change as #{merged[0].number}, which is already merged")
    return reasons


def _closing(facts: VerdictFacts, pending: list[str], failing: list[str]) -> str:
    lines = []
    if facts.rerun_requested_by:
        lines.append(f"Re-analysed at @{facts.rerun_requested_by}'s request.")
    if pending:
        lines.append(f"Still analysing {_join(pending)}; this check run is edited as each part finishes.")
    elif failing:
        lines.append(f"GitInsight fails this check because {_join(failing)}.")
    else:
        lines.append("GitInsight's verdict is informational: no gate of this repository applies.")
    if facts.report_url:
        lines.append(f"[The full report in GitInsight]({facts.report_url})")
    return "<sub>" + " ".join(lines) + "</sub>"


# --- words --------------------------------------------------------------------------------

def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _inline(text: str) -> str:
    """Text on one line, without Markdown that could break the list or the table around it."""
    return " ".join(text.split()).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _code(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")[:200]


def _clip(markdown: str) -> str:
    if len(markdown) <= MAX_MARKDOWN:
        return markdown
    return markdown[:MAX_MARKDOWN] + "\n\n…(cut: the full report is in GitInsight)"
