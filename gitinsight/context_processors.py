from allauth.socialaccount.adapter import get_adapter
from django.http import HttpRequest


def github_login(request: HttpRequest) -> dict:
    """Offer "Sign in with GitHub" only when an OAuth app is configured (from settings)."""
    return {"github_login_enabled": bool(get_adapter(request).list_apps(request, provider="github"))}
