from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from analysis.core.charts import trend_chart
from analysis.models import Insight, RepositoryStats
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin


def evidence_table(items: list[dict]) -> str:
    if not items:
        return "—"
    columns = list(items[0])
    head = format_html_join("", "<th>{}</th>", ((column,) for column in columns))
    rows = format_html_join(
        "", "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((item.get(column),) for column in columns)),) for item in items[:50]),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows)


@admin.register(Insight)
class InsightAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = "repository__organization"
    list_display = ["title", "repository", "type", "confidence_score", "model_version", "generated_at"]
    list_filter = ["type", "repository"]
    search_fields = ["title", "description"]
    fields = ["repository", "type", "title", "description", "confidence_score", "tags", "model_version",
              "generated_at", "chart", "evidence"]
    readonly_fields = fields

    @admin.display(description="chart")
    def chart(self, insight: Insight) -> str:
        return mark_safe(trend_chart(insight))  # noqa: S308 - SVG built from escaped values

    @admin.display(description="evidence")
    def evidence(self, insight: Insight) -> str:
        return evidence_table(insight.data.get("items") or [])


@admin.register(RepositoryStats)
class RepositoryStatsAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = "repository__organization"
    list_display = ["full_name", "language", "stars", "forks", "total_insights", "avg_confidence", "follower_count",
                    "recent_insight_count", "trending_score", "latest_insight"]
    list_filter = ["language"]
    search_fields = ["full_name"]
