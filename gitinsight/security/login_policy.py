"""Who may sign in with a password, and how many wrong passwords an address or a username may
try. Used by the authentication backend, the admin login form, allauth's adapter and the
password pages, so the rules hold on every way in."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from gitinsight.models import User


def signs_in_with_github(user: AbstractBaseUser) -> bool:
    return getattr(user, "github_id", None) is not None or SocialAccount.objects.filter(
        user_id=user.pk, provider="github").exists()


def local_password_allowed(user: AbstractBaseUser) -> bool:
    """A GitHub account gets no local password (it would go around GitHub's two-factor
    authentication and SSO) unless an operator allows them; operators keep theirs."""
    return settings.ALLOW_LOCAL_PASSWORDS or user.is_superuser or not signs_in_with_github(user)


def local_password_refusal(user: AbstractBaseUser) -> str:
    return (f"{user.get_username()} signs in with GitHub: local passwords are off for GitHub accounts on this "
            "server (an operator can allow them with ALLOW_LOCAL_PASSWORDS). Use “Sign in with GitHub”.")


def users_named(login: str) -> list[User]:
    """The accounts a sign-in form's login may mean (allauth matches usernames without case)."""
    login = (login or "").strip()
    return list(User.objects.filter(username__iexact=login)) if login else []


# --- wrong passwords ------------------------------------------------------------------------

def _keys(*, ip: str | None, username: str) -> dict[str, str]:
    keys = {"username": f"login-failures:user:{username.strip().lower()}"}
    if ip:
        keys["ip"] = f"login-failures:ip:{ip}"
    return keys


def login_refusal(*, ip: str | None, username: str) -> str | None:
    """Why a sign-in may not even be tried now, or None."""
    keys = _keys(ip=ip, username=username)
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    if username.strip() and cache.get(keys["username"], 0) >= settings.LOGIN_FAILURES_PER_USERNAME:
        return (f"Too many failed sign-ins for {username.strip()}: try again in {minutes} minutes "
                "(or sign in with GitHub).")
    if "ip" in keys and cache.get(keys["ip"], 0) >= settings.LOGIN_FAILURES_PER_IP:
        return f"Too many failed sign-ins from your address: try again in {minutes} minutes."
    return None


def login_failure_record(*, ip: str | None, username: str) -> None:
    """Count one wrong password; the count is forgotten LOGIN_LOCKOUT_MINUTES after the last one.
    (The cache has no atomic increment across processes: two failures at the same instant may
    count once, which a limit of tens can afford.)"""
    timeout = settings.LOGIN_LOCKOUT_MINUTES * 60
    for name, key in _keys(ip=ip, username=username).items():
        if name == "username" and not username.strip():
            continue
        cache.set(key, cache.get(key, 0) + 1, timeout=timeout)


def login_success_record(*, username: str) -> None:
    """A right password clears the username's count (the address keeps its own)."""
    cache.delete(_keys(ip=None, username=username)["username"])
