from django import template

from gitinsight.attention import attention_for_user, attention_kinds

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
