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
    detail: str = ""
    score: float | None = None


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


def attention_for_user(user: AbstractBaseUser, *, limit_per_kind: int = 10) -> dict[str, list[AttentionItem]]:
    """Items grouped by repository, most severe first."""
    by_repository: dict[str, list[AttentionItem]] = {}
    for _label, provider in _providers.values():
        items = sorted(provider(user), key=lambda item: (SEVERITY_ORDER.get(item.severity, 9), -(item.score or 0)))
        for item in items[:limit_per_kind]:
            by_repository.setdefault(item.repository, []).append(item)
    for items in by_repository.values():
        items.sort(key=lambda item: SEVERITY_ORDER.get(item.severity, 9))
    return dict(sorted(by_repository.items()))


def attention_kinds() -> dict[str, str]:
    return {kind: label for kind, (label, _provider) in _providers.items()}


#: chart providers: (user, repository full names) -> {full name: [SVG markup, ...]}
_chart_providers: dict[str, Callable[[AbstractBaseUser, list[str]], dict[str, list[str]]]] = {}


def attention_chart_register(
    name: str, provider: Callable[[AbstractBaseUser, list[str]], dict[str, list[str]]]
) -> None:
    _chart_providers[name] = provider


def attention_charts_for(user: AbstractBaseUser, repositories: list[str]) -> dict[str, list[str]]:
    charts: dict[str, list[str]] = {}
    for provider in _chart_providers.values():
        for repository, svgs in provider(user, repositories).items():
            charts.setdefault(repository, []).extend(svgs)
    return charts
