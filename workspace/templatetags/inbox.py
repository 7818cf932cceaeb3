"""The admin inbox (templates/admin/index.html): what needs attention, grouped by repository."""

from django import template
from django.utils.safestring import mark_safe

from workspace.inbox import attention_charts_for, attention_for_user, attention_kinds

register = template.Library()


@register.simple_tag(takes_context=True)
def attention_items(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return attention_for_user(request.user)


@register.simple_tag
def attention_labels() -> dict[str, str]:
    return attention_kinds()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def attention_charts(context, groups: dict) -> dict:
    """SVG charts per repository of the dashboard (built from escaped values by the providers)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not groups:
        return {}
    charts = attention_charts_for(request.user, list(groups))
    return {repository: [mark_safe(svg) for svg in svgs] for repository, svgs in charts.items()}  # noqa: S308
