"""The repository overview: each app adds its section (its latest findings in a sentence or
two, with links) to the repository's admin page. workspace cannot import the apps above it,
so each registers a provider in its AppConfig.ready(), as with the inbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ingestion.models import Repository


@dataclass(frozen=True)
class OverviewLine:
    text: str
    url: str = ""
    link: str = ""  # the link's text, after the sentence


@dataclass
class OverviewSection:
    title: str
    lines: list[OverviewLine] = field(default_factory=list)
    more_url: str = ""
    more: str = ""


_providers: dict[str, tuple[int, Callable[[Repository], OverviewSection | None]]] = {}


def overview_section_register(name: str, order: int, provider: Callable[[Repository], OverviewSection | None]) -> None:
    _providers[name] = (order, provider)


def repository_overview(repository: Repository) -> list[OverviewSection]:
    sections = []
    for _order, provider in sorted(_providers.values(), key=lambda entry: entry[0]):
        section = provider(repository)
        if section is not None:
            sections.append(section)
    return sections
