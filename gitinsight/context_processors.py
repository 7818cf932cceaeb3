from django.conf import settings
from django.http import HttpRequest


def github_login(request: HttpRequest) -> dict:
    return {"github_login_enabled": bool(settings.GITHUB_OAUTH_CLIENT_ID)}
