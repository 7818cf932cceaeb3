from allauth.socialaccount.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def github_login_enabled(context) -> bool:
    """Offer "Sign in with GitHub" only when an OAuth app is configured (from settings)."""
    request = context.get("request")
    return bool(get_adapter(request).list_apps(request, provider="github"))
