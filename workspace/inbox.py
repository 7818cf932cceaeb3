"""The admin inbox: what needs a maintainer's attention, gathered from every app.

workspace cannot import the apps above it, so each app registers a provider in its
AppConfig.ready(); a provider returns the items one user may see (tenant-scoped)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # e.g. "risky_pull_request", "duplicate_verdict", "failed_check", "milestone_at_risk"
    repository: str  # full name, to group the dashboard by repository
    title: str
    url: str  # where the maintainer acts: an admin change page or report
    severity: str = "medium"
    reason: str = ""  # why it needs attention, in one sentence
    score: float | None = None  # urgency from 0 to 1 within its severity, to rank items of every kind together
    action: str = "Open"  # the link's words: what the maintainer does there


@dataclass
class AttentionSection:
    kind: str
    label: str
    provider: Callable[[AbstractBaseUser], list[AttentionItem]]
    items: list[AttentionItem] = field(default_factory=list)


_providers: dict[str, tuple[str, Callable[[AbstractBaseUser], list[AttentionItem]]]] = {}


def attention_provider_register(
    kind: str, label: str, provider: Callable[[AbstractBaseUser], list[AttentionItem]]
) -> None:
    _providers[kind] = (label, provider)


def _rank(item: AttentionItem) -> tuple:
    return SEVERITY_ORDER.get(item.severity, 9), -(item.score or 0), item.repository, item.title


def attention_ranked(user: AbstractBaseUser, *, limit_per_kind: int = 10) -> list[AttentionItem]:
    """What needs the user's attention across every capability, most urgent first: by
    severity, then by each item's urgency (the first `limit_per_kind` of each kind)."""
    ranked: list[AttentionItem] = []
    for _label, provider in _providers.values():
        ranked.extend(sorted(provider(user), key=_rank)[:limit_per_kind])
    return sorted(ranked, key=_rank)


def attention_for_user(user: AbstractBaseUser, *, limit_per_kind: int = 10) -> dict[str, list[AttentionItem]]:
    """The ranked items grouped by repository, most severe first."""
    by_repository: dict[str, list[AttentionItem]] = {}
    for item in attention_ranked(user, limit_per_kind=limit_per_kind):
        by_repository.setdefault(item.repository, []).append(item)
    return dict(sorted(by_repository.items()))


def attention_kinds() -> dict[str, str]:
    return {kind: label for kind, (label, _provider) in _providers.items()}
