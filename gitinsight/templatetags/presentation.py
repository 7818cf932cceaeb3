"""Template filters for values a person reads (gitinsight.presentation)."""

from django import template

from gitinsight import presentation

register = template.Library()


@register.filter
def words(value) -> str:
    return presentation.words(value)


@register.filter
def percent(value) -> str:
    return presentation.percent(value)


@register.filter
def percent_value(value) -> str:
    """A value already in percent (0-100), e.g. a Decimal column."""
    return presentation.percent(value, already_percent=True)


@register.filter
def number(value) -> str:
    return presentation.number(value)


@register.filter
def when(value) -> str:
    return presentation.when(value)


@register.filter
def day(value) -> str:
    return presentation.when(value, with_time=False)


@register.filter
def readable(value) -> str:
    return presentation.readable(value)


@register.filter
def code_list(values) -> str:
    return presentation.code_list(values)
