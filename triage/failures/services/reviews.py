"""The per-head reviews a pull request report combines: `ci` from the failed-check
analyses, `risk` from the commit-risk prediction, `duplicate` from the latest similarity
run's best candidate."""

from __future__ import annotations

from django.utils.translation import ngettext

from analysis.core.reasons import reasons_sentence
from analysis.models import PullRequestRiskPrediction
from ingestion.models import AnalysisStatus, PullRequest
from triage.duplicates.models.choices import TriageCategory
from triage.duplicates.models.runs import AnalysisRun
from triage.failures.core.rules import RULES_VERSION
from triage.failures.models.analyses import (
    CheckFailureAnalysis,
    FailureAttribution,
    PullRequestReview,
    ReviewDecision,
    ReviewerType,
)

# Duplicates never block: they are worth a comment so the maintainer compares the two PRs.
_DUPLICATE_SHOWN = (TriageCategory.SAME_CHANGE, TriageCategory.COMPETING_IMPLEMENTATION, TriageCategory.SAME_FEATURE)
_RISK_DECISION = {"high": ReviewDecision.REQUEST_CHANGES, "medium": ReviewDecision.COMMENT,
                  "low": ReviewDecision.APPROVE}


def _upsert(pull_request: PullRequest, reviewer_type: str, decision: str, summary: str,
            details: dict) -> PullRequestReview:
    review, _ = PullRequestReview.objects.update_or_create(
        pull_request=pull_request, head_sha=pull_request.head_sha, reviewer_type=reviewer_type,
        defaults={"decision": decision, "summary": summary, "details": details})
    return review


def _risk_summary(prediction: PullRequestRiskPrediction) -> str:
    """"High risk (p=0.72). Riskier than 96 % of this repository's commits: adds 538 lines …"."""
    why = reasons_sentence(prediction.top_features, percentile=prediction.percentile)
    head = f"{prediction.risk_level.capitalize()} risk (p={prediction.probability:.2f})."
    return f"{head} {why}." if why else head


def ci_review_refresh(pull_request: PullRequest) -> PullRequestReview | None:
    """Request changes when a failure is the PR's own (NEW); comment when failures are
    flaky, trunk or unstable; nothing to say when the head has no analysed failure."""
    analyses = list(CheckFailureAnalysis.objects.filter(
        pull_request=pull_request, head_sha=pull_request.head_sha, rules_version=RULES_VERSION,
        status=AnalysisStatus.DONE).select_related("check_run"))
    if not analyses:
        return None
    own = [a for a in analyses if a.attribution == FailureAttribution.NEW]
    decision = ReviewDecision.REQUEST_CHANGES if own else ReviewDecision.COMMENT
    names = ", ".join(sorted(a.check_run.name for a in own))
    summary = (ngettext("%(count)d failing check caused by this change: %(names)s",
                        "%(count)d failing checks caused by this change: %(names)s", len(own))
               % {"count": len(own), "names": names} if own
               else ngettext("%(count)d failing check, none caused by this change",
                             "%(count)d failing checks, none caused by this change", len(analyses))
               % {"count": len(analyses)})
    details = {"analyses": [{"id": a.pk, "check_run": a.check_run.name, "category": a.category,
                             "attribution": a.attribution, "recommended_action": a.recommended_action}
                            for a in analyses]}
    return _upsert(pull_request, ReviewerType.CI, decision, summary, details)


def pull_request_reviews_refresh(pull_request_id: int) -> list[PullRequestReview]:
    """Write the `risk` review from the latest risk prediction of the head, and the `ci` one."""
    pull_request = PullRequest.objects.get(pk=pull_request_id)
    reviews = []
    prediction = (PullRequestRiskPrediction.objects.filter(pull_request=pull_request, head_sha=pull_request.head_sha)
                  .newest_first().first())
    if prediction is not None:
        reviews.append(_upsert(
            pull_request, ReviewerType.RISK, _RISK_DECISION.get(prediction.risk_level, ReviewDecision.NONE),
            _risk_summary(prediction),
            {"prediction_id": prediction.pk, "probability": prediction.probability,
             "risk_level": prediction.risk_level, "top_features": prediction.top_features}))
    duplicate = duplicate_review_refresh(pull_request)
    if duplicate is not None:
        reviews.append(duplicate)
    ci = ci_review_refresh(pull_request)
    if ci is not None:
        reviews.append(ci)
    return reviews


def duplicate_review_refresh(pull_request: PullRequest) -> PullRequestReview | None:
    run = AnalysisRun.objects.for_head(pull_request).finished().newest_first().first()
    if run is None:
        return None
    edge = (run.edges.filter(category__in=_DUPLICATE_SHOWN).select_related("pull_request_b")
            .order_by("rank").first())
    if edge is None:
        return _upsert(pull_request, ReviewerType.DUPLICATE, ReviewDecision.NONE, "no duplicate found",
                       {"analysis_run": str(run.pk)})
    label = edge.category.lower().replace("_", " ")
    return _upsert(pull_request, ReviewerType.DUPLICATE, ReviewDecision.COMMENT,
                   f"{label} as #{edge.pull_request_b.number}",
                   {"analysis_run": str(run.pk), "edge": str(edge.pk), "category": edge.category,
                    "pull_request": edge.pull_request_b.number, "score": edge.final_score})
