"""A maintainer confirms (or corrects) the root-cause lines of a failed check, audited.

The confirmed range becomes a `RootCauseExample` of the repository, which the analyser
looks for in later logs (see triage.failures.core.learned). The lines are read from the stored
full log when it is kept, else from the stored excerpt: a range must be shown there to
be confirmed, which is also what the maintainer was looking at.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from gitinsight.services.audit import audit_record
from triage.failures.core.learned import ChunkExample
from triage.failures.core.logtext import clean_text
from triage.failures.models.analyses import CheckFailureAnalysis
from triage.failures.models.root_causes import RootCauseExample
from triage.failures.selectors.analyses import analysis_excerpt

MAX_CONFIRMED_LINES = 200
MAX_TEXT_CHARS = 20_000


class RootCauseLinesInvalid(ValueError):
    """The lines cannot be confirmed: not a range, not stored, or all blank."""


def _stored_lines(analysis: CheckFailureAnalysis) -> dict[int, str]:
    if analysis.full_log:
        return dict(enumerate(clean_text(analysis.full_log).split("\n"), start=1))
    excerpt = analysis_excerpt(analysis)
    return {line.number: line.text for line in excerpt.lines} if excerpt is not None else {}


def root_cause_confirm(*, user: AbstractBaseUser, analysis: CheckFailureAnalysis, start: int,
                       end: int) -> RootCauseExample:
    """Record lines `start`..`end` (1-based, inclusive) of the analysed log as its root cause."""
    if start < 1 or end < start:
        raise RootCauseLinesInvalid(f"lines {start}-{end} are not a range: start must be 1 or more and end >= start")
    if end - start + 1 > MAX_CONFIRMED_LINES:
        raise RootCauseLinesInvalid(f"at most {MAX_CONFIRMED_LINES} lines can be confirmed")
    lines = _stored_lines(analysis)
    missing = [number for number in range(start, end + 1) if number not in lines]
    if missing:
        raise RootCauseLinesInvalid(
            f"line {missing[0]} is not in the stored excerpt (it shows lines "
            f"{_spans(sorted(lines)) or 'none'}); choose lines it shows"
        )
    try:
        example = ChunkExample.from_lines(lines.get, start, end)
    except ValueError as error:
        raise RootCauseLinesInvalid(str(error)) from error
    top = analysis.root_cause[0] if analysis.root_cause else None
    corrected = top is None or (top.get("start"), top.get("end")) != (start, end)
    with transaction.atomic():
        row = RootCauseExample.objects.create(
            repository_id=analysis.check_run.repository_id, check_name=analysis.check_run.name, analysis=analysis,
            start_line=start, end_line=end,
            text="\n".join(lines[number] for number in range(start, end + 1))[:MAX_TEXT_CHARS],
            first=example.first, last=example.last, before=example.before, after=example.after,
            corrected=corrected, created_by=user,
        )
        audit_record(user=user, action="triage.root_cause_confirm", resource_type="root_cause_example",
                     resource_id=row.pk, details={"analysis": analysis.pk, "check_run": analysis.check_run_id,
                                                  "start": start, "end": end, "corrected": corrected})
    return row


def root_cause_example_delete(*, user: AbstractBaseUser, example: RootCauseExample) -> None:
    """Forget a confirmed root cause (it was wrong, or the failure is fixed for good)."""
    with transaction.atomic():
        audit_record(user=user, action="triage.root_cause_delete", resource_type="root_cause_example",
                     resource_id=example.pk, details={"repository": example.repository_id,
                                                      "start": example.start_line, "end": example.end_line})
        example.delete()


def _spans(numbers: list[int]) -> str:
    """`[3, 4, 5, 9]` as "3-5, 9"."""
    spans: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            spans.append(f"{start}-{previous}" if previous != start else f"{start}")
        start = previous = number
    return ", ".join(spans)
