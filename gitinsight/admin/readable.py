"""The admin shows stored values as a person reads them (gitinsight.presentation): JSON as
tables, floats rounded, dates as dates, nothing as a dash. Django's admin formats fields in
one function, `display_for_field`, imported by its read-only form fields and its change
lists; both names are pointed at the readable version here, once, when the admin loads."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from gitinsight.presentation import EMPTY, number, readable, sentence_case, when, words

_django_display_for_field = utils.display_for_field
_django_display_for_value = utils.display_for_value


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if value is None and not isinstance(field, models.BooleanField):
        return EMPTY
    if isinstance(field, models.JSONField):
        return readable(value)
    if getattr(field, "flatchoices", None):
        return _django_display_for_field(value, field, EMPTY, avoid_link)
    if isinstance(field, models.FloatField):
        return number(value)
    if isinstance(field, models.DateTimeField):
        return when(value)
    return _django_display_for_field(value, field, EMPTY, avoid_link)


def display_for_value(value, empty_value_display, boolean=False):
    if value is None and not boolean:
        return EMPTY
    if isinstance(value, float) and not boolean:
        return number(value)
    if isinstance(value, dict | list) and not boolean:
        return readable(value)
    return _django_display_for_value(value, EMPTY, boolean)


def readable_admin_install() -> None:
    for module in (helpers, admin_list):
        module.display_for_field = display_for_field
    admin_list.display_for_value = display_for_value


def words_filter(field: str, title: str, labels: Callable[[], dict[str, str]] | None = None,
                 word: Callable[[str], str] = words) -> type:
    """A list filter for a text field that stores codes (`risk_type`, a job's `type`): the
    values present, each named in words (by `labels` when given, else by `word`), filtering as Django's own
    filter would (same parameter name, so existing links keep working)."""

    class WordsFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            values = model_admin.get_queryset(request).order_by().values_list(field, flat=True).distinct()
            names = labels() if labels else {}
            return sorted(((value, names.get(value) or sentence_case(word(value))) for value in values if value),
                          key=lambda choice: choice[1])

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    WordsFilter.title = title
    WordsFilter.__name__ = f"{field.title().replace('_', '')}WordsFilter"
    return WordsFilter
