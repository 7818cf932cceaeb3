"""Injection strings in every text field the admin renders: GitHub's example deliveries
with script, markup and SQL in their titles, bodies, names and messages, then every other
text and JSON field of every admin model overwritten with the same. Every changelist,
change page and custom page answers without a server error, shows the text escaped and
never raw; the rows keep the text intact (the SQL is only text)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db import DataError, IntegrityError, ProgrammingError, models, transaction
from django.urls import NoReverseMatch, reverse

from gitinsight.services.audit import audit_record
from ingestion.models import CheckRun, Issue, Milestone, PullRequest, Repository
from tests.ingestion.conftest import examples, github, webhook_secret  # noqa: F401 - fixtures
from triage.failures.core.analysis import analyse_log
from triage.failures.core.excerpt import decompress_excerpt
from triage.failures.models import CheckFailureAnalysis

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE x; --"
PAYLOAD = f"{SCRIPT} {ATTRIBUTE} {SQL}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TEXT_KEYS = {"title", "body", "message", "name", "description", "summary", "text", "display_title", "zen"}
EVENTS = [("installation", "created"), ("pull_request", "opened"), ("pull_request_review", "submitted"),
          ("pull_request_review_comment", "created"), ("issues", "opened"), ("issue_comment", "created"),
          ("milestone", "created"), ("push", None), ("check_suite", "completed"), ("check_run", "completed"),
          ("workflow_run", "completed"), ("workflow_job", "completed")]
DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Not shown as data (or shown on every page, as the greeting): left alone.
SKIPPED_FIELDS = {"password", "username", "first_name", "last_name", "key_hash", "prefix", "session_key",
                  "session_data"}


def injected(value, key: str = ""):
    if isinstance(value, dict):
        return {k: injected(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [injected(item, key) for item in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return f"{PAYLOAD} {value}"
    return value


def injected_json(value):
    if isinstance(value, dict):
        return {k: injected_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [injected_json(item) for item in value]
    # Dates in JSON are computed (burndown days, forecast dates), not text from outside.
    return PAYLOAD if isinstance(value, str) and not DATE.match(value) else value


def overwrite_text_fields(model: type[models.Model]) -> None:
    """Every free text field of every row becomes PAYLOAD; JSON keeps its shape with PAYLOAD
    in its strings. A field whose constraints refuse it keeps its value. A view (the
    repository statistics) is not written: its text comes from the tables it reads."""
    if not model._meta.managed:
        return
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.primary_key or field.choices or field.unique:
            continue
        if isinstance(field, models.CharField | models.TextField) and (field.max_length or 10**6) >= len(PAYLOAD):
            try:
                with transaction.atomic():
                    model._default_manager.update(**{field.name: PAYLOAD})
            except (IntegrityError, DataError, ProgrammingError):  # constraints, append-only triggers
                pass
        elif isinstance(field, models.JSONField):
            for pk, value in model._default_manager.values_list("pk", field.name):
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{field.name: injected_json(value)})
                except (IntegrityError, DataError, ProgrammingError):
                    pass


@pytest.fixture
def injected_rows(request, admin_user):
    sender, payloads = request.getfixturevalue("github"), request.getfixturevalue("examples")
    for event, action in EVENTS:
        payload = next(p for p in payloads[event] if action is None or p.get("action") == action)
        sender.send(event, injected(payload))
    # Ingestion refuses a repository name with markup; a row stored before names were
    # checked may still hold one.
    for repository in Repository.objects.all():
        Repository.objects.filter(pk=repository.pk).update(full_name=f"{repository.full_name}{SCRIPT}")
    audit_record(user=admin_user, action="test.injection", resource_type="test", resource_id="1",
                 details={"note": PAYLOAD})
    failed_check_analysed()
    for model in admin.site._registry:
        overwrite_text_fields(model)


def failed_check_analysed() -> None:
    """A failed check whose log printed the payload, analysed by the real analyser, so the
    failure queue shows it in the excerpt."""
    check_run = CheckRun.objects.first()
    log = f"$ pytest\nE   AssertionError: {PAYLOAD}\nFAILED tests/test_x.py::test_y - {PAYLOAD}\n"
    result = analyse_log(log + 'The command "pytest" exited with 1.\n')
    CheckFailureAnalysis.objects.update_or_create(
        check_run=check_run, rules_version=result.rules_version,
        defaults={"head_sha": check_run.head_sha, "status": "done", "category": result.category.value,
                  "root_cause": [{"rule": PAYLOAD}], "excerpt": result.excerpt,
                  "excerpt_lines": len(decompress_excerpt(result.excerpt).lines), "suggested_fix": PAYLOAD,
                  "attribution_evidence": [{"kind": "log", "detail": PAYLOAD}]},
    )


def admin_pages() -> list[str]:
    pages = ["/admin/", "/admin/operations/"]
    for model in admin.site._registry:
        opts = model._meta
        try:
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        pages += [changelist, f"{changelist}?q=%3Cscript%3E"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    pages += [reverse("admin:triage_pull_request_report", args=[pk]) for pk in PullRequest.objects.values_list(
        "pk", flat=True)]
    pages += [reverse("admin:sprints_milestone_forecast", args=[pk]) for pk in Milestone.objects.values_list(
        "pk", flat=True)]
    return pages


def test_every_admin_page_shows_injected_text_escaped_and_never_raw(admin_client, injected_rows):
    shown_escaped = set()
    for page in admin_pages():
        response = admin_client.get(page)
        assert response.status_code in (200, 302), f"{page}: {response.status_code}"
        content = response.content.decode()
        assert SCRIPT not in content, page
        assert ATTRIBUTE not in content, page
        if ESCAPED in content:
            shown_escaped.add(page)
    for model in (PullRequest, Issue, Milestone, CheckFailureAnalysis):
        opts = model._meta
        assert reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") in shown_escaped
    assert len(shown_escaped) > 40, sorted(shown_escaped)


def test_injected_text_is_stored_intact(injected_rows):
    pull_request = PullRequest.objects.get()
    assert pull_request.title.startswith(PAYLOAD) or pull_request.title == PAYLOAD
    assert SQL in pull_request.body
    assert Issue.objects.filter(title__contains=SQL).exists()
