"""Optional, off by default (settings.TRIAGE_GITHUB_COMMENTS): tell a PR that it is the same
change as another one, with the evidence, in one comment that is edited, never repeated."""

from __future__ import annotations

import hashlib

from django.conf import settings

from triage.duplicates.core.scoring import SAME_CHANGE
from triage.duplicates.models import AnalysisRun, CandidateEdge, GitHubNotice


def notice_body(edge: CandidateEdge) -> str:
    other = edge.pull_request_b
    evidence = edge.evidence_json
    lines = [
        f"This pull request looks like the same change as #{other.number} ({other.title}).",
        "",
        f"- score: {edge.final_score:.2f}",
    ]
    if evidence.get("production_paths"):
        lines.append("- same production files: " + ", ".join(f"`{p}`" for p in evidence["production_paths"]))
    if evidence.get("symbols"):
        lines.append("- same symbols: " + ", ".join(f"`{s}`" for s in evidence["symbols"][:10]))
    if evidence.get("tests"):
        lines.append("- same tests: " + ", ".join(f"`{t}`" for t in evidence["tests"][:10]))
    lines += ["", "<sub>GitInsight triage · maintainers can confirm or reject this in the triage queue.</sub>"]
    return "\n".join(lines)


def github_notice_publish(*, run: AnalysisRun, config: dict) -> GitHubNotice | None:
    """Post or edit the PR's notice when its best edge is SAME_CHANGE above `act.min_score`.
    Returns the notice, or None when disabled or nothing qualifies. Raises GitHubApiError."""
    if not settings.TRIAGE_GITHUB_COMMENTS:
        return None
    edge = (run.edges.filter(category=SAME_CHANGE, final_score__gte=config["act"]["min_score"])
            .select_related("pull_request_b").order_by("rank").first())
    if edge is None:
        return None
    from ingestion.services.github_api.auth import github_for_repository

    pull_request, repository = run.pull_request, run.pull_request.repository
    body = notice_body(edge)
    digest = hashlib.sha256(body.encode()).hexdigest()
    notice = GitHubNotice.objects.filter(pull_request=pull_request).first()
    if notice is not None and notice.body_sha256 == digest:
        return notice
    github = github_for_repository(repository)
    owner, name = repository.owner, repository.name
    if notice is None:
        response = github.rest.issues.create_comment(owner, name, pull_request.number, body=body)
        return GitHubNotice.objects.create(
            repository=repository, pull_request=pull_request, candidate_pull_request=edge.pull_request_b,
            head_sha=run.head_sha, github_comment_id=int(response.json()["id"]), body_sha256=digest,
        )
    github.rest.issues.update_comment(owner, name, notice.github_comment_id, body=body)
    notice.candidate_pull_request, notice.head_sha, notice.body_sha256 = edge.pull_request_b, run.head_sha, digest
    notice.save(update_fields=["candidate_pull_request", "head_sha", "body_sha256", "updated_at"])
    return notice
