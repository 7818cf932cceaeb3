"""Template filters for triage's verdicts in words (triage.presentation)."""

from django import template

from triage import presentation

register = template.Library()
register.filter("duplicate_words", presentation.duplicate_words)
register.filter("failure_category_words", presentation.failure_category_words)
register.filter("attribution_words", presentation.attribution_words)
register.filter("action_words", presentation.action_words)
