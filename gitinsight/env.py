"""Typed readers for environment variables; settings.py is their only caller."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"Environment variable {name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key(path: Path) -> str:
    """A random key kept in the checkout's git-ignored data folder, for when SECRET_KEY is
    unset: sessions survive restarts and no key is ever shared between installations."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def local_http_url(url: str) -> bool:
    """True for a plain-http address on this machine (http://127.0.0.1:8000, http://localhost):
    the development server, where browsers would not send Secure cookies back."""
    parts = urlsplit(url)
    return parts.scheme == "http" and (parts.hostname or "") in {"127.0.0.1", "localhost", "::1"}
