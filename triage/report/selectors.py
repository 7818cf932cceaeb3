"""One report per pull request head: commit risk with its top factors, duplicate and
competing candidates, and the failed checks with their attribution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Subquery

from analysis.core.reasons import standing_sentence
from analysis.models import PullRequestRiskPrediction
from analysis.presentation import level_words
from gitinsight.presentation import percent
from ingestion.models import PullRequest
from triage.duplicates.competing_text import competing_sentence
from triage.duplicates.models import AnalysisRun, CandidateEdge, CompetingWork
from triage.duplicates.models.choices import TriageCategory
from triage.failures.core.excerpt import decompress_excerpt
from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution, PullRequestReview

SHOWN_CATEGORIES = (
    TriageCategory.SAME_CHANGE, TriageCategory.SAME_FEATURE, TriageCategory.COMPETING_IMPLEMENTATION,
    TriageCategory.RELATED, TriageCategory.UNCERTAIN,
)


@dataclass
class PullRequestReport:
    pull_request: PullRequest
    head_sha: str
    risk: dict[str, Any] | None = None
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    triage_status: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    competing: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headline(self) -> str:
        parts = []
        if self.risk:
            level = level_words(self.risk["risk_level"])
            parts.append(f"{percent(self.risk['probability'])} chance of a bug ({level})")
        same = [item for item in self.duplicates if item["category"] == TriageCategory.SAME_CHANGE]
        if same:
            parts.append(f"the same change as #{same[0]['number']}")
        if self.competing:
            count = len(self.competing)
            plural = "s" if count > 1 else ""
            parts.append(f"{count} competing pull request{plural} or commit{plural}")
        new = [check for check in self.checks if check["attribution"] == FailureAttribution.NEW]
        if new:
            parts.append(f"{len(new)} failing check{'s' if len(new) > 1 else ''} caused by this change")
        elif self.checks:
            parts.append(f"{len(self.checks)} failed check{'s' if len(self.checks) > 1 else ''}, "
                         "none caused by this change")
        text = "; ".join(parts) or "nothing needs attention"
        return text[:1].upper() + text[1:] + "."


def pull_request_report(*, pull_request: PullRequest, head_sha: str | None = None) -> PullRequestReport:
    head_sha = head_sha or pull_request.head_sha
    report = PullRequestReport(pull_request=pull_request, head_sha=head_sha)

    prediction = (PullRequestRiskPrediction.objects.filter(pull_request=pull_request, head_sha=head_sha)
                  .select_related("riskiest_commit", "model_version").newest_first().first())
    if prediction is not None:
        report.risk = {
            "prediction": prediction.pk,
            "probability": prediction.probability, "risk_level": prediction.risk_level,
            "model_version": prediction.model_version.version, "commit_count": prediction.commit_count,
            "riskiest_commit": prediction.riskiest_commit.sha if prediction.riskiest_commit else None,
            "standing": standing_sentence(prediction.percentile) if prediction.percentile is not None else "",
            "top_features": prediction.top_features[:5],
        }

    run = AnalysisRun.objects.for_head(pull_request, head_sha).newest_first().first()
    report.triage_status = run.status if run is not None else None
    report.duplicates = _duplicates(pull_request, head_sha, run)
    competing = (CompetingWork.objects.involving(pull_request)
                 .select_related("pull_request", "other_pull_request").newest_first()[:10])
    report.competing = [
        {"kind": work.kind, "issue": work.issue_number, "commit": work.commit_sha or None,
         "pull_request": (work.other_pull_request.number if work.pull_request_id == pull_request.pk
                          else work.pull_request.number) if work.other_pull_request_id else None,
         "confidence": round(work.confidence, 2), "sentence": competing_sentence(work, seen_from=pull_request.pk),
         "evidence": work.evidence_json}
        for work in competing
    ]

    analyses = (CheckFailureAnalysis.objects.filter(pull_request=pull_request, head_sha=head_sha)
                .select_related("check_run").latest_per_check_run())
    report.checks = [
        {"analysis": item.pk, "check_run": item.check_run_id, "check": item.check_run.name,
         "url": item.check_run.html_url or item.check_run.details_url, "conclusion": item.check_run.conclusion,
         "status": item.status, "error": item.error, "category": item.category, "attribution": item.attribution,
         "attribution_confidence": round(item.attribution_confidence, 2), "evidence": item.attribution_evidence,
         "analysed_at": item.analysed_at, "recommended_action": item.recommended_action,
         "suggested_fix": item.suggested_fix, "root_cause": _root_cause_lines(item)}
        for item in analyses
    ]
    report.reviews = list(
        PullRequestReview.objects.filter(pull_request=pull_request, head_sha=head_sha)
        .values("reviewer_type", "decision", "summary", "feedback")
    )
    return report


def _duplicates(pull_request: PullRequest, head_sha: str, run: AnalysisRun | None) -> list[dict[str, Any]]:
    """The pull requests this head is paired with, each named as the other one: those its own
    analysis found, and those whose analysis (of their current head, the newest run) found this
    head — an earlier pull request learns of a later one that repeats it. Where both sides
    found each other, this head's own verdict is shown. The five strongest."""
    own = []
    if run is not None:
        own = list(CandidateEdge.objects.filter(analysis_run=run, category__in=SHOWN_CATEGORIES)
                   .select_related("pull_request_b").order_by("rank")[:5])
    newest_run = (AnalysisRun.objects.filter(pull_request=OuterRef("pull_request_a"), head_sha=OuterRef("head_sha_a"))
                  .order_by("-started_at", "-pk").values("pk")[:1])
    found_by_others = (
        CandidateEdge.objects.filter(repository_id=pull_request.repository_id, pull_request_b=pull_request,
                                     head_sha_b=head_sha, category__in=SHOWN_CATEGORIES,
                                     pull_request_a__head_sha=F("head_sha_a"))
        .exclude(pull_request_a=pull_request)
        .annotate(newest_run=Subquery(newest_run)).filter(analysis_run_id=F("newest_run"))
        .select_related("pull_request_a").order_by("-final_score")[:5])
    named = {edge.pull_request_b_id for edge in own}
    items = [_duplicate_item(edge, edge.pull_request_b) for edge in own]
    items += [_duplicate_item(edge, edge.pull_request_a, found_by_other=True) for edge in found_by_others
              if edge.pull_request_a_id not in named]
    return sorted(items, key=lambda item: -item["score"])[:5]


def _duplicate_item(edge: CandidateEdge, other: PullRequest, *, found_by_other: bool = False) -> dict[str, Any]:
    return {"edge": edge.pk, "number": other.number, "pull_request": other.pk, "title": other.title,
            "url": other.html_url, "state": other.state, "merged": other.merged, "category": edge.category,
            "score": round(edge.final_score, 3), "confidence": edge.scores_json.get("same_change_probability"),
            "evidence": _evidence_summary(edge.evidence_json), "found_by_other": found_by_other}


def _evidence_summary(evidence: dict[str, Any]) -> dict[str, Any]:
    """The overlaps a maintainer reads first; the full bundle stays on the edge."""
    keep = ("production_paths", "symbols", "tests", "references")
    return {key: evidence[key] for key in keep if evidence.get(key)}


def _root_cause_lines(analysis: CheckFailureAnalysis) -> list[dict[str, Any]]:
    """The highlighted root-cause lines of the excerpt, with their log line numbers."""
    if not analysis.excerpt:
        return []
    excerpt = decompress_excerpt(bytes(analysis.excerpt))
    return [{"line": line.number, "text": line.text} for line in excerpt.lines if line.highlighted][:20]
