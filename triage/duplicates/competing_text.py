"""Competing work in sentences, as the report and the admin show it."""

from __future__ import annotations

from triage.duplicates.models import CompetingWork


def competing_sentence(work: CompetingWork, *, seen_from: int | None = None) -> str:
    """One sentence saying what competes with what and why; `seen_from` is the pull request id
    of the page it is shown on (the other side of a pair reads it from there)."""
    evidence = work.evidence_json
    issue = f"issue #{work.issue_number}" if work.issue_number else "the same issue"
    if work.kind == CompetingWork.Kind.SUPERSEDED_BY_COMMIT:
        how = (f"closes {issue}, which this pull request claims" if evidence.get("closes")
               else "says it replaces this pull request")
        return f"Commit {work.commit_sha[:10]} ({evidence.get('subject', '')}) was pushed to the base branch and {how}."
    other = work.other_pull_request
    if seen_from is not None and other is not None and other.pk == seen_from:
        other = work.pull_request
        if work.kind == CompetingWork.Kind.RACING:
            who = "a bot" if evidence.get("author_kind") == "bot" else "a first-time contributor"
            return (f"#{other.number}, opened later by {who}, races this pull request for {issue} "
                    f"(claimed in {', '.join(evidence.get('claims', [])) or 'its text'}).")
        return f"#{other.number}, opened later, also claims {issue}."
    where = ", ".join(evidence.get("other_claims", [])) or "its text"
    if work.kind == CompetingWork.Kind.RACING:
        who = "a bot" if evidence.get("author_kind") == "bot" else "a first-time contributor"
        still = " and was still open" if evidence.get("other_open_when_opened") else ""
        return (f"Opened by {who} for {issue}, which #{other.number} claimed first ({where}){still}.")
    return f"#{other.number} also claims {issue} ({where})."
