"""Commit risk in words: a prediction as a sentence, its factors as reasons, a model
version's holdout figures explained, and the charts of the model page. Used by the admin,
the commit and pull request pages and the inbox."""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from analysis.core.reasons import standing_sentence
from gitinsight.charts import ChartSpec, Series, chart
from gitinsight.presentation import EMPTY, number, percent, sentence_case, words

#: the monthly columns charted for each trend insight (Insight.Type values)
TREND_COLUMNS = {
    "contributor_activity": ("commits", "authors"),
    "risk_trend": ("mean_risk", "fix_share"),
    "ci_failure_trend": ("failure_rate",),
}
LEVEL_WORDS = {"low": "low risk", "medium": "medium risk", "high": "high risk"}
#: holdout metrics a maintainer can read, with what they mean (others stay on the API)
METRICS = [
    ("auc", "Ranking quality (AUC)", "how often a bug-inducing commit is ranked above a clean one: 50 % is chance, "
                                     "100 % is perfect", "percent"),
    ("recall_at_20_effort", "Found while reviewing 20 % of the changed lines",
     "share of the bug-inducing commits among the riskiest commits that make up 20 % of the lines changed", "percent"),
    ("effort_at_20_recall", "Lines to review to find 20 % of the bugs",
     "share of the changed lines to review, riskiest first, before 20 % of the bug-inducing commits are found",
     "percent"),
    ("f1", "F1 at 50 %", "balance of precision and recall when commits above 50 % are flagged", "percent"),
    ("mcc", "Agreement with the labels (MCC)", "from -1 (always wrong) through 0 (chance) to 1 (always right)",
     "number"),
    ("popt", "Effort-aware ranking (Popt)", "how close the ranking comes to the best order for review effort",
     "percent"),
    ("active_auc_on_holdout", "Active model's AUC on the same holdout", "what this version had to beat", "percent"),
]


def level_words(level: str) -> str:
    return LEVEL_WORDS.get(level, words(level))


def factor_reason(factor: dict[str, Any]) -> str:
    """The factor's stored sentence, or (for predictions stored without one) the feature and
    its value in words."""
    if factor.get("reason"):
        return sentence_case(str(factor["reason"]))
    return f"{sentence_case(words(factor.get('feature')))}: {number(factor.get('value'))}"


def factor_effect(factor: dict[str, Any]) -> str:
    contribution = float(factor.get("contribution") or 0)
    if abs(contribution) < 0.01:
        return "hardly changes the risk"
    strength = "strongly " if abs(contribution) >= 1 else ""
    return f"{strength}{'raises' if contribution > 0 else 'lowers'} the risk"


def reasons_list(factors: list[dict[str, Any]], *, limit: int = 5) -> SafeString:
    if not factors:
        return format_html("<p>{}</p>", "No factors were stored with this prediction.")
    return format_html('<ul class="gi-reasons">{}</ul>', format_html_join(
        "", '<li>{} <span class="gi-effect gi-{}">{}</span></li>',
        ((factor_reason(factor), "up" if float(factor.get("contribution") or 0) > 0 else "down",
          factor_effect(factor)) for factor in factors[:limit]),
    ))


def reasons_short(factors: list[dict[str, Any]], *, limit: int = 2) -> str:
    """The first factors that raised the risk, for a list column or an inbox line."""
    raising = [factor_reason(factor) for factor in factors if float(factor.get("contribution") or 0) > 0]
    return "; ".join(raising[:limit]) or EMPTY


def prediction_sentence(probability: float, level: str, *, percentile: float | None = None,
                        what: str = "this commit") -> str:
    standing = f", {standing_sentence(percentile)}" if percentile is not None else ""
    return f"{percent(probability)} chance that {what} introduces a bug ({level_words(level)}{standing})."


def metrics_table(metrics: dict[str, Any]) -> SafeString:
    rows = []
    for key, label, meaning, kind in METRICS:
        value = metrics.get(key)
        if not isinstance(value, int | float) or (isinstance(value, float) and math.isnan(value)):
            continue
        rows.append((label, percent(value) if kind == "percent" else number(value), meaning))
    if not rows:
        return format_html("<p>{}</p>", "No holdout figures: the holdout had no bug-inducing commit to find.")
    return format_html('<table class="gi-table"><thead><tr><th>Figure</th><th>Value</th><th>What it means</th></tr>'
                       "</thead><tbody>{}</tbody></table>",
                       format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows))


def score_histogram_chart(histogram: list[int]) -> SafeString:
    bins = len(histogram)
    labels = [f"{i * 100 // bins} to {(i + 1) * 100 // bins} %" for i in range(bins)]
    total = sum(histogram)
    busiest = max(range(bins), key=lambda i: histogram[i]) if total else 0
    summary = (f"{total:,} commits scored; most ({histogram[busiest]:,}) have a risk of {labels[busiest]}."
               if total else "No commit has been scored by this version yet.")
    spec = ChartSpec(labels=labels, series=[Series("commits", list(histogram), kind="bar", color="#417690")],
                     y_title="commits", x_title="risk", y_format="integer")
    return chart(spec, title="How risky the scored commits are", summary=summary)


def risk_per_month_chart(rows: list[tuple[str, float, int]]) -> SafeString:
    """Mean risk per month, with a sentence on the highest and the latest month."""
    if not rows:
        return chart(ChartSpec(labels=[], series=[], y_title="mean risk"), title="Mean risk per month",
                     summary="No commit scored by this version has a date.")
    labels = [month_words(month) for month, _mean, _count in rows]
    top = max(rows, key=lambda row: row[1])
    last = rows[-1]
    summary = (f"Over {len(rows)} months, the mean risk was highest in {month_words(top[0])} ({percent(top[1])}, "
               f"{top[2]:,} commits); in {month_words(last[0])} it was {percent(last[1])}.")
    spec = ChartSpec(labels=labels, series=[Series("mean risk", [round(mean, 4) for _m, mean, _c in rows])],
                     y_title="mean risk", y_format="percent")
    return chart(spec, title="Mean risk per month", summary=summary)


def month_words(value: str) -> str:
    year, _, month = value.partition("-")
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else value


def commit_risk_panel(commit) -> SafeString:
    """The commit's latest risk prediction as a sentence with its reasons and a link."""
    from django.urls import reverse

    from analysis.models import CommitRiskPrediction, ModelVersion

    prediction = (CommitRiskPrediction.objects.filter(commit=commit).select_related("model_version")
                  .newest_first().first())
    if prediction is None:
        if commit.is_merge:
            return format_html("<p>{}</p>", "Merge commits are not scored: their changes are scored on the commits "
                                            "they bring in.")
        if not ModelVersion.objects.filter(repository_id=commit.repository_id, is_active=True).exists():
            return format_html("<p>{}</p>", f"Not scored: {commit.repository} has no active risk model yet "
                                            "(see its training job under Analysis jobs).")
        return format_html("<p>{}</p>", "Not scored yet: the active model scores new commits shortly after they "
                                        "are ingested.")
    url = reverse("admin:analysis_commitriskprediction_change", args=[prediction.pk])
    return format_html(
        '<div class="gi-panel gi-risk-{}"><p class="gi-headline">{}</p>{}<p><a href="{}">The prediction</a> · '
        "model version {}</p></div>",
        prediction.risk_level,
        prediction_sentence(prediction.probability, prediction.risk_level,
                            percentile=prediction.percentile),
        reasons_list(prediction.top_features), url, prediction.model_version.version,
    )


def pull_request_risk_panel(pull_request) -> SafeString:
    """The current head's risk (the chance that one of its commits introduces a bug)."""
    from django.urls import reverse

    from analysis.models import PullRequestRiskPrediction

    prediction = (PullRequestRiskPrediction.objects.filter(pull_request=pull_request,
                                                           head_sha=pull_request.head_sha)
                  .select_related("riskiest_commit").newest_first().first())
    if prediction is None:
        return format_html("<p>{}</p>", "Not scored: the repository has no active risk model, or the head's commits "
                                        "are not ingested yet.")
    url = reverse("admin:analysis_pullrequestriskprediction_change", args=[prediction.pk])
    riskiest = prediction.riskiest_commit
    riskiest_text = (format_html(' The riskiest commit is <a href="{}">{}</a>.',
                                 reverse("admin:ingestion_commit_change", args=[riskiest.pk]), riskiest.sha[:10])
                     if riskiest else "")
    return format_html(
        '<div class="gi-panel gi-risk-{}"><p class="gi-headline">{}{}</p>{}'
        '<p><a href="{}">The prediction</a></p></div>',
        prediction.risk_level,
        prediction_sentence(prediction.probability, prediction.risk_level,
                            percentile=prediction.percentile,
                            what=f"at least one of its {prediction.commit_count} commits"),
        riskiest_text, reasons_list(prediction.top_features), url,
    )
