"""Deployment checks: clean with a production configuration, errors without its secrets,
and a production server that refuses to start on an error."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gitinsight.security.deploy_checks import deploy_secrets_check, production_checks_enforce

ROOT = Path(__file__).resolve().parents[3]


def production_env(**changes: str | None) -> dict[str, str]:
    """This process's environment (the embedded database included) made production-like;
    Django switches other tests may have set (DJANGO_ALLOW_ASYNC_UNSAFE) are left out."""
    ours = ("DJANGO_", "GITINSIGHT_", "SECURE_", "USE_X_FORWARDED_PROTO")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gitinsight.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "gitinsight.example.org",
        "SITE_URL": "https://gitinsight.example.org",
        "GITHUB_WEBHOOK_SECRET": secrets.token_hex(20),
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def ids(messages) -> set[str]:
    return {message.id for message in messages}


def test_check_deploy_is_clean_with_the_production_configuration():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_production_server_refuses_to_start_without_its_secrets():
    env = production_env(SECRET_KEY=None, GITHUB_WEBHOOK_SECRET=None)
    result = run(["-c", "import gitinsight.wsgi"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "gitinsight.E001" in result.stderr and "gitinsight.E002" in result.stderr


def test_the_webhook_secret_and_secret_key_are_required_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.GITHUB_WEBHOOK_SECRET = ""
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    settings.SITE_URL = "https://gitinsight.example.org"
    assert ids(deploy_secrets_check()) == {"gitinsight.E001", "gitinsight.E002"}
    settings.GITHUB_WEBHOOK_SECRET = "whsec-configured"
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    assert deploy_secrets_check() == []


def test_nothing_is_required_in_debug_mode(settings):
    settings.DEBUG = True
    settings.GITHUB_WEBHOOK_SECRET = ""
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    assert deploy_secrets_check() == []


def test_a_plain_http_site_url_is_a_warning_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.GITHUB_WEBHOOK_SECRET = "whsec-configured"
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    settings.SITE_URL = "http://gitinsight.internal"
    assert ids(deploy_secrets_check()) == {"gitinsight.W001"}


def test_the_entry_points_enforce_the_checks_only_in_production(settings):
    settings.GITHUB_WEBHOOK_SECRET = ""
    settings.GITINSIGHT_PRODUCTION = False
    production_checks_enforce()  # make demo, make test, the benchmarks
    settings.GITINSIGHT_PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match=r"gitinsight\.E001"):
        production_checks_enforce()
