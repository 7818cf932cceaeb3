"""How values read on a page: percentages, dates, enum values as words, numbers rounded to
what they mean, and structured evidence as tables. Every app's admin and templates use
these, so a maintainer never reads JSON, a Python repr or an internal code."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

EMPTY = "—"
_SHA = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
#: words for codes whose plain spelling would still read as jargon
WORDS = {
    "same_change": "same change", "pr": "pull request", "prs": "pull requests", "ci": "CI", "api": "API",
    "la": "lines added", "ld": "lines deleted", "lt": "lines in the touched files before the change",
    "nd": "directories touched", "nf": "files touched", "ns": "subsystems touched",
    "ndev": "earlier authors of the files", "nuc": "earlier changes to the files",
    "age": "days since the files last changed", "exp": "author's commits",
    "la_per_lt": "lines added per line of the touched files",
    "ld_per_lt": "lines deleted per line of the touched files", "lt_per_nf": "lines per touched file",
    "rexp": "author's recent experience", "sexp": "author's commits in these subsystems", "fix": "is a fix",
    "entropy": "spread of the change across files", "auc": "AUC", "mcc": "MCC", "f1": "F1",
    "ece": "calibration error", "id": "id", "url": "address", "sha": "commit",
}


def words(code: object) -> str:
    """An enum value or key as words: SAME_CHANGE -> "same change", notify_author -> "notify author"."""
    if code is None or code == "":
        return EMPTY
    text = str(code)
    key = text.lower()
    if key in WORDS:
        return WORDS[key]
    return re.sub(r"[_\s]+", " ", key).strip()


#: GitHub's webhook events named for one of their subjects ("issues opened" -> "issue opened")
EVENT_WORDS = {"issues": "issue", "installation_repositories": "installation's repositories"}


def event_words(event: str, action: str = "") -> str:
    """A webhook delivery as what happened: ("pull_request", "opened") -> "pull request opened"."""
    subject = EVENT_WORDS.get(event) or words(event)
    return f"{subject} {words(action)}" if action else subject


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def percent(probability: float | Decimal | None, *, already_percent: bool = False) -> str:
    """0.5152 -> "52 %"; below 1 % and above 99 % keep one decimal so they never read as 0 or 100."""
    if probability is None:
        return EMPTY
    value = float(probability) * (1 if already_percent else 100)
    # Rounded towards the middle: 99.96 rounds to "100.0" and 0.04 to "0.0" otherwise.
    if 0 < value < 1:
        return f"{math.ceil(value * 10) / 10:.1f} %"
    if 99 < value < 100:
        return f"{math.floor(value * 10) / 10:.1f} %"
    return f"{value:.0f} %"


def number(value: float | int | Decimal | None) -> str:
    """A number with the precision a person reads: whole numbers with separators, others to
    three significant digits (0.0178 -> "0.0178", 2.8067 -> "2.81", 538.0 -> "538")."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) < 1:
        value = round(value, 4)  # never five decimals: 0.00208 reads 0.0021
    return f"{value:.3g}" if abs(value) >= 0.001 or value == 0 else f"{value:.4f}".rstrip("0")


def when(moment: dt.datetime | dt.date | None, *, with_time: bool = True) -> str:
    """A date (and time, in the server's zone) as a person writes it: "7 Dec 2026, 14:40"."""
    if moment is None:
        return EMPTY
    if isinstance(moment, dt.datetime):
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return f"{local.day} {local:%b %Y}" + (f", {local:%H:%M}" if with_time else "")
    return f"{moment.day} {moment:%b %Y}"


def days_ago(moment: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    if moment is None:
        return EMPTY
    days = ((now or timezone.now()) - moment).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def short_sha(sha: str) -> str:
    return sha[:10] if sha else EMPTY


def code(value: object) -> SafeString:
    """A name that is code as written (a table, a database, a symbol), marked as such."""
    return format_html("<code>{}</code>", value)


def code_list(values: Iterable[object]) -> SafeString:
    """Names that are code as written (paths, symbols, tables, GitHub's event names), each in
    <code>, separated by commas: a reader sees they are identifiers, not words."""
    return format_html_join(", ", "<code>{}</code>", ((value,) for value in values))


def _cell(value: object) -> str | SafeString:
    if isinstance(value, SafeString):
        return value
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal | int):
        return number(value)
    if isinstance(value, dt.datetime | dt.date):
        return when(value)
    if isinstance(value, str):
        parsed = _iso_date(value)
        if parsed is not None:
            return when(parsed, with_time=isinstance(parsed, dt.datetime))
        if _SHA.match(value):
            return short_sha(value)
        return value
    if isinstance(value, Mapping):
        return definitions(value)
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) for item in value):
            return table(value)
        return ", ".join(str(_cell(item)) for item in value)
    return str(value)


def _iso_date(text: str) -> dt.date | dt.datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
    except ValueError:
        return None


def table(rows: Iterable[Mapping], *, limit: int = 50) -> SafeString:
    """A list of records as an HTML table with worded headers; numbers rounded, codes as words."""
    rows = list(rows)
    if not rows:
        return mark_safe(EMPTY)  # noqa: S308 - a constant
    columns = list(dict.fromkeys(key for row in rows for key in row))
    head = format_html_join("", "<th>{}</th>", ((sentence_case(words(column)),) for column in columns))
    body = format_html_join(
        "", "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((_cell(row.get(column)),) for column in columns)),)
         for row in rows[:limit]),
    )
    more = format_html('<p class="gi-more">and {} more</p>', len(rows) - limit) if len(rows) > limit else ""
    return format_html('<table class="gi-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}',
                       head, body, more)


def definitions(mapping: Mapping) -> SafeString:
    """A record as a two-column table: worded key, readable value."""
    if not mapping:
        return mark_safe(EMPTY)  # noqa: S308 - a constant
    rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>",
                            ((sentence_case(words(key)), _cell(value)) for key, value in mapping.items()))
    return format_html('<table class="gi-definitions">{}</table>', rows)


def readable(value: object) -> str | SafeString:
    """Any stored value (JSON included) as something a person reads."""
    return _cell(value)
