"""The admin inbox (templates/admin/index.html): what needs attention, ranked across every
capability, and the user's repositories with their state."""

from django import template

from workspace.inbox import attention_kinds, attention_ranked
from workspace.selectors import repositories_at_a_glance

register = template.Library()


@register.simple_tag(takes_context=True)
def attention_items(context) -> list:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return attention_ranked(request.user)


@register.simple_tag
def attention_labels() -> dict[str, str]:
    return attention_kinds()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def my_repositories(context) -> list:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return repositories_at_a_glance(request.user)
