"""Deployment checks (`manage.py check --deploy`). A production server (GITINSIGHT_PRODUCTION,
see settings) also runs them from its WSGI/ASGI entry point and refuses to start on an error;
development, tests and `make demo` never run them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


def deploy_secrets_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    messages: list[checks.CheckMessage] = []
    if not settings.GITHUB_WEBHOOK_SECRET:
        messages.append(checks.Error(
            "GITHUB_WEBHOOK_SECRET is empty: webhook deliveries cannot be verified and are all refused.",
            hint="Set GITHUB_WEBHOOK_SECRET to the secret of the GitHub App or repository webhook.",
            id="gitinsight.E001",
        ))
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        messages.append(checks.Error(
            "SECRET_KEY is not set in the environment: the local fallback in .data/secret_key is "
            "neither shared between servers nor kept with the deployment's configuration.",
            hint="Set SECRET_KEY to a random value of at least 50 characters.",
            id="gitinsight.E002",
        ))
    if not settings.SITE_URL.startswith("https://"):
        messages.append(checks.Warning(
            f"SITE_URL {settings.SITE_URL} is not https: with DEBUG off session and CSRF cookies are "
            "Secure, so browsers will not send them back over plain http (except on this machine).",
            hint="Serve GitInsight over HTTPS and set SITE_URL to its https:// address.",
            id="gitinsight.W001",
        ))
    return messages


def production_checks_enforce() -> None:
    """On a production server, run the security and deployment checks: log the warnings,
    raise ImproperlyConfigured on an error. Call once Django is set up."""
    if not settings.GITINSIGHT_PRODUCTION:
        return
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    found = [message for message in found if not message.is_silenced()]
    for message in found:
        if not message.is_serious():
            logger.warning("%s", message)
    errors = [str(message) for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "GitInsight will not serve requests with this configuration "
            "(GITINSIGHT_PRODUCTION; see `manage.py check --deploy`):\n" + "\n".join(errors)
        )
