"""Tenant isolation, checked everywhere: two organizations, A and B, each with one row of every
tenant-scoped model; B's maintainer walks every API endpoint and every admin page and must
find nothing of A; then, as a hostile writer, fills every form and write body with A's values
and must change nothing of A. Endpoints, admin pages and models are enumerated, not listed by
hand, so a new one without coverage fails here until it is added to the tables below."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import django_filters
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.db import connection, models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gitinsight.admin.scoping import TenantScopedAdmin
from gitinsight.models import ApiKey, Organization, TenantModel, User
from ingestion.models import CheckRun, Commit, Issue, Milestone, PullRequest
from sprints.models import Recommendation
from tests.html_forms import form_data
from tests.tenant_fixtures import Tenant, repository_stats_load, tenant_create
from triage.duplicates.models import CandidateEdge, ConfigSnapshot
from triage.failures.models import CheckFailureAnalysis, RootCauseExample
from workspace.models import AnalysisJob, Notification, RepositoryFollow
from workspace.services.notifications import followers_notify

pytestmark = pytest.mark.django_db

# Models that hold no organization's data, so there is nothing of A to leak to B.
PLATFORM_MODELS = {
    "admin.LogEntry": "admin history; shown only on an object's history page, which 404s for other tenants",
    "auth.Permission": "permission catalogue",
    "auth.Group": "the maintainers group, shared by every organization",
    "contenttypes.ContentType": "model catalogue",
    "sessions.Session": "login sessions",
    "account.EmailAddress": "a login identity of one user, not of an organization",
    "account.EmailConfirmation": "a login identity of one user, not of an organization",
    "socialaccount.SocialApp": "the GitHub OAuth app of the installation",
    "socialaccount.SocialAccount": "a login identity of one user, not of an organization",
    "socialaccount.SocialToken": "a login identity of one user, not of an organization",
    "django_q.Task": "task queue (operators only)",
    "django_q.Success": "task queue (operators only)",
    "django_q.Failure": "task queue (operators only)",
    "django_q.Schedule": "periodic schedules declared in code",
    "django_q.OrmQ": "task queue (operators only)",
    "gitinsight.RateLimitCounter": "request counters per API key bucket",
}

# Models of no organization that still give each tenant's people rows of their own.
PERSONAL_MODELS = {
    "gitinsight.User": "a person, who may belong to several organizations; the admin shows each their own",
    "gitinsight.ApiKey": "a person's key; owners see their members' (gitinsight.selectors.api_keys_manageable_by)",
    "gitinsight.AuditLog": "operators only",
}


@pytest.fixture
def world() -> tuple[Tenant, Tenant]:
    a = tenant_create("zqxalpha", number=7)
    b = tenant_create("zqxbravo", number=11)
    repository_stats_load(a, b)
    return a, b


def test_the_world_has_a_row_of_every_tenant_scoped_model(world):
    a, b = world
    models_ = {model._meta.concrete_model._meta.label for model in apps.get_models()}
    uncovered = models_ - set(PLATFORM_MODELS) - {label for label in a.rows}
    assert not uncovered, f"add a row of {sorted(uncovered)} to tests/tenant_fixtures.py (or to PLATFORM_MODELS)"
    assert a.rows.keys() == b.rows.keys()


def reaches_organization(model: type[models.Model], walked: frozenset = frozenset()) -> bool:
    """Whether a chain of the model's foreign keys (or one-to-one keys) leads to Organization."""
    if model is Organization:
        return True
    walked = walked | {model}
    return any(
        reaches_organization(field.related_model, walked)
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model not in walked
    )


def undeclared_tenant_models(candidates: list[type[models.Model]]) -> list[str]:
    return [
        model._meta.label for model in candidates
        if reaches_organization(model) and not (issubclass(model, TenantModel) and hasattr(model, "tenant_path"))
    ]


def test_every_model_with_a_foreign_key_path_to_an_organization_declares_its_tenant_path():
    undeclared = undeclared_tenant_models(apps.get_models())
    assert not undeclared, (
        f"{undeclared} reach an Organization through their foreign keys: derive them from TenantModel "
        "and declare their tenant_path (gitinsight.models.tenancy)"
    )


def test_the_walk_finds_a_model_that_forgets_its_tenant_path():
    class Forgetful(models.Model):
        milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE)

        class Meta:
            app_label = "sprints"
            managed = False

        def __str__(self) -> str:
            return f"forgetful {self.pk}"

    try:
        assert undeclared_tenant_models([Forgetful, Milestone, User]) == ["sprints.Forgetful"]
    finally:
        # Forget the model again, so later tests enumerate only the real ones.
        del apps.all_models["sprints"]["forgetful"]
        apps.clear_cache()


def test_every_tenant_model_declares_its_way_to_the_organization(world):
    a, _ = world
    for model in apps.get_models():
        label = model._meta.concrete_model._meta.label
        if label in PLATFORM_MODELS or label in PERSONAL_MODELS:
            continue
        assert issubclass(model, TenantModel) and hasattr(model, "tenant_path"), (
            f"{label} holds an organization's data: derive it from TenantModel and declare its tenant_path"
        )
        fields = model.tenant_fields()
        assert not fields or fields[-1].related_model is Organization, f"{label}'s tenant_path ends at Organization"
        assert all(field.many_to_one or field.one_to_one for field in fields), f"{label}: a path of foreign keys"
        assert a.rows[label].tenant_organization_id() == a.organization.pk, label
        assert list(model.objects.visible_to(a.user).filter(pk=a.rows[label].pk)) == [a.row(model)], label


def test_every_admin_of_tenant_data_is_scoped(world):
    for model, model_admin in registered():
        label = model._meta.concrete_model._meta.label
        if issubclass(model, TenantModel):
            assert isinstance(model_admin, TenantScopedAdmin), f"the admin of {label} derives from TenantScopedAdmin"
        else:
            assert label in PLATFORM_MODELS or label in PERSONAL_MODELS, label


# --- API ---------------------------------------------------------------------------------

# The object of a tenant that each parameterised endpoint addresses.
API_OBJECTS: dict[str, Callable[[Tenant], dict]] = {
    "api-key-revoke": lambda t: {"pk": t.row(ApiKey).pk},
    "api-organization": lambda t: {"pk": t.organization.pk},
    "api-repository": lambda t: {"pk": t.repository.pk},
    "api-backfills": lambda t: {"pk": t.repository.pk},
    "api-commit": lambda t: {"pk": t.row(Commit).pk},
    "api-pull-request": lambda t: {"pk": t.row(PullRequest).pk},
    "api-issue": lambda t: {"pk": t.row(Issue).pk},
    "api-milestone": lambda t: {"pk": t.row(Milestone).pk},
    "api-check-run": lambda t: {"pk": t.row(CheckRun).pk},
    "api-commit-risk": lambda t: {"repository_id": t.repository.pk, "sha": t.row(Commit).sha},
    "api-pull-request-risk": lambda t: {"repository_id": t.repository.pk, "number": t.row(PullRequest).number},
    "api-repository-follow": lambda t: {"repository_id": t.repository.pk},
    "api-repository-insights": lambda t: {"repository_id": t.repository.pk},
    "api-repository-jobs": lambda t: {"repository_id": t.repository.pk},
    "api-milestone-forecast": lambda t: {"milestone_id": t.row(Milestone).pk},
    "api-recommendation-accept": lambda t: {"pk": t.row(Recommendation).pk},
    "triage-pull-request-candidates": lambda t: {"pk": t.row(PullRequest).pk},
    "triage-candidate-feedback": lambda t: {"pk": t.row(CandidateEdge).pk},
    "triage-pull-request-report": lambda t: {"pk": t.row(PullRequest).pk},
    "triage-check-run-analysis": lambda t: {"pk": t.row(CheckRun).pk},
    "triage-pull-request-ci": lambda t: {"pk": t.row(PullRequest).pk},
    "triage-review-feedback": lambda t: {"pk": t.row(PullRequest).pk, "reviewer_type": "ci"},
    "triage-root-cause-confirm": lambda t: {"pk": t.row(CheckRun).pk},
    "triage-root-cause-example": lambda t: {"pk": t.row(RootCauseExample).pk},
}

# A valid body for each write, aimed at the tenant's objects (None: the write has no tenant target).
API_WRITES: dict[tuple[str, str], Callable[[Tenant], dict] | None] = {
    ("api-keys", "post"): None,  # creates a key for the caller
    ("api-key-revoke", "post"): lambda t: {},
    ("api-repositories", "post"): lambda t: {"full_name": f"{t.marker}/new-repo", "organization": t.organization.pk},
    ("api-repository-follow", "put"): lambda t: {"notification_settings": {"email": False}},
    ("api-repository-follow", "delete"): lambda t: {},
    ("api-repository-jobs", "post"): lambda t: {"type": "triage", "options": {}},
    ("api-recommendation-accept", "post"): lambda t: {},
    ("triage-candidate-feedback", "post"): lambda t: {"decision": "DUPLICATE"},
    ("triage-review-feedback", "post"): lambda t: {"feedback": "helpful"},
    ("triage-root-cause-confirm", "post"): lambda t: {"start": 2, "end": 2},
    ("triage-root-cause-example", "delete"): lambda t: {},
}

# Query parameters a list endpoint needs, aimed at the tenant's data.
API_LIST_QUERIES: dict[str, Callable[[Tenant], dict]] = {
    "api-search": lambda t: {"q": t.marker},
}

WRITE_METHODS = ("post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def url_routes(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) of every URL the project serves."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def api_routes() -> Iterator[tuple[str, str, list[str]]]:
    """(url name, route, HTTP methods) of every view under /api/v1/."""
    for route, pattern in url_routes():
        view_class = getattr(pattern.callback, "view_class", None)
        if route.startswith("api/v1/") and view_class is not None:
            methods = [m for m in ("get", *WRITE_METHODS) if hasattr(view_class, m)]
            yield pattern.name, route, methods


def b_clients(b: Tenant) -> dict[str, APIClient]:
    return {"api key": b.api(), "session": b.session()}


def test_the_walk_knows_every_api_endpoint():
    routes = list(api_routes())
    assert len(routes) > 20
    for name, route, methods in routes:
        if PARAMETER.search(route):
            assert name in API_OBJECTS, f"{route}: say in API_OBJECTS which object of a tenant it addresses"
        for method in set(methods) & set(WRITE_METHODS):
            assert (name, method) in API_WRITES, f"{method.upper()} {route}: give a body in API_WRITES"


def test_b_finds_nothing_of_a_in_any_list(world):
    a, b = world
    lists = [(name, methods) for name, route, methods in api_routes() if not PARAMETER.search(route)]
    for name, methods in lists:
        if "get" not in methods:
            continue
        url = reverse(name)
        query = API_LIST_QUERIES.get(name, lambda t: {})(a)
        mine = a.api().get(url, query)
        assert mine.status_code == 200 and a.marker in mine.content.decode(), f"{url} does not show A its own data"
        for how, client in b_clients(b).items():
            response = client.get(url, query)
            assert response.status_code == 200, f"{url} as B ({how}): {response.status_code}"
            assert a.marker not in response.content.decode(), f"{url} shows A's data to B ({how})"


def test_a_sees_its_objects_and_b_gets_404_for_them(world):
    a, b = world
    for name, route, methods in api_routes():
        if not PARAMETER.search(route) or "get" not in methods:
            continue
        url = reverse(name, kwargs=API_OBJECTS[name](a))
        assert a.api().get(url).status_code == 200, f"{url} as A"
        for how, client in b_clients(b).items():
            response = client.get(url)
            assert response.status_code == 404, f"GET {url} as B ({how}): {response.status_code}"
            assert response.json()["error"]["code"] == "not_found"
            assert a.marker not in response.content.decode()


def test_b_cannot_write_to_a_objects(world):
    a, b = world
    before = tenant_state(a)
    for name, route, methods in api_routes():
        for method in set(methods) & set(WRITE_METHODS):
            body = API_WRITES[(name, method)]
            if body is None:
                continue
            url = reverse(name, kwargs=API_OBJECTS[name](a)) if PARAMETER.search(route) else reverse(name)
            for how, client in b_clients(b).items():
                response = getattr(client, method)(url, body(a), format="json")
                assert response.status_code == 404, f"{method.upper()} {url} as B ({how}): {response.status_code}"
    assert tenant_state(a) == before


def test_the_same_writes_succeed_for_a(world, settings):
    """The 404s above come from the tenant check, not from a malformed request."""
    a, _ = world
    # A connects a repository of its own account, which its bound App installation covers.
    settings.GITHUB_APP_ID, settings.GITHUB_APP_PRIVATE_KEY = "4242", "not used before the backfill runs"
    client = a.session()  # not a's key: one write revokes it
    for name, route, methods in api_routes():
        for method in set(methods) & set(WRITE_METHODS):
            body = API_WRITES[(name, method)]
            if body is None:
                continue
            url = reverse(name, kwargs=API_OBJECTS[name](a)) if PARAMETER.search(route) else reverse(name)
            response = getattr(client, method)(url, body(a), format="json")
            assert response.status_code < 400, f"{method.upper()} {url} as A: {response.status_code}"


def test_b_searching_for_a_words_finds_only_b_documents(world):
    a, b = world
    for client in b_clients(b).values():
        body = client.get("/api/v1/search", {"q": f"{a.marker} issue"}).json()
        assert body["results"] and all(hit["repository"] == b.repository.full_name for hit in body["results"])


def test_filtering_a_list_by_an_object_of_a_answers_like_filtering_by_a_missing_one(world):
    """An empty page for A's id but "invalid choice" for a missing one would tell B that A's exists."""
    a, b = world
    filtered = 0
    for name, route, _methods in api_routes():
        view_class = resolve("/" + route).func.view_class if not PARAMETER.search(route) else None
        if view_class is None:
            continue
        for field in getattr(view_class, "filterset_fields", None) or []:
            # django-filter would offer every tenant's rows as choices of a related field here.
            assert not view_class.serializer_class.Meta.model._meta.get_field(field).is_relation, (
                f"{route}: filter {field} with a scoped ModelChoiceFilter in a filterset_class"
            )
        filterset = getattr(view_class, "filterset_class", None)
        for filter_name, filter_ in (filterset.base_filters.items() if filterset else []):
            if not isinstance(filter_, django_filters.ModelChoiceFilter):
                continue
            related = filterset._meta.model._meta.get_field(filter_.field_name).related_model
            missing = b.api().get(reverse(name), {filter_name: 10**9})
            other = b.api().get(reverse(name), {filter_name: a.row(related).pk})
            assert (other.status_code, other.json()) == (missing.status_code, missing.json()), (name, filter_name)
            filtered += 1
    assert filtered >= 6


# --- admin -------------------------------------------------------------------------------

STANDARD_ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change")

# The object of a tenant that each custom admin view addresses.
ADMIN_VIEW_OBJECTS: dict[str, Callable[[Tenant], dict]] = {
    "analysis_job_progress": lambda t: {"job_id": t.row(AnalysisJob).pk},
    "triage_pull_request_report": lambda t: {"pk": t.row(PullRequest).pk},
    "triage_checkfailureanalysis_root_cause": lambda t: {"pk": t.row(CheckFailureAnalysis).pk},
    "sprints_milestone_forecast": lambda t: {"milestone_id": t.row(Milestone).pk},
    "auth_user_password_change": lambda t: {"id": t.user.pk},
    # the GitHub App set-up shows no organization's objects, and only to operators
    "ingestion_github_app_setup": lambda t: {},
    "ingestion_github_app_setup_done": lambda t: {},
}


def registered() -> list[tuple[type[models.Model], admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_url(model: type[models.Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def tenant_row(tenant: Tenant, model: type[models.Model]) -> models.Model | None:
    row = tenant.rows.get(model._meta.concrete_model._meta.label)
    if row is not None and model._meta.proxy:
        row = model.objects.get(pk=row.pk)
    return row


def test_maintainers_are_staff_without_superpowers(world):
    _, b = world
    assert b.user.is_staff and not b.user.is_superuser
    assert b.user.has_perm("ingestion.view_pullrequest")


def test_b_dashboard_shows_nothing_of_a(world):
    a, b = world
    assert a.marker in a.admin().get("/admin/").content.decode()
    page = b.admin().get("/admin/")
    assert page.status_code == 200 and a.marker not in page.content.decode()


def test_every_admin_page_without_parameters_shows_b_nothing_of_a(world):
    """The dashboard, the operations page, every changelist and add page, and whatever comes next."""
    a, b = world
    pages = ["/" + route for route, _ in url_routes() if route.startswith("admin/")
             and not PARAMETER.search(route) and "(?P" not in route]
    assert "/admin/operations/" in pages and len(pages) > 50
    for url in pages:
        page = b.admin().get(url)
        assert page.status_code < 500, url
        assert a.marker not in page.content.decode(), f"{url} shows A's data to B"


def test_every_admin_changelist_hides_a_from_b(world):
    a, b = world
    for model, _model_admin in registered():
        url = admin_url(model, "changelist")
        page = b.admin().get(url)
        assert page.status_code in (200, 403), f"{url}: {page.status_code}"
        assert a.marker not in page.content.decode(), f"{url} shows A's data to B"
        mine = a.admin().get(url)
        if mine.status_code == 200 and tenant_row(a, model) is not None:
            assert a.marker in mine.content.decode(), f"{url} does not show A its own row"


def test_admin_pages_of_a_objects_answer_404_to_b(world):
    a, b = world
    before = tenant_state(a)
    for model, _model_admin in registered():
        row = tenant_row(a, model)
        if row is None:
            continue
        for view in ("change", "history", "delete"):
            url = admin_url(model, view, quote(row.pk))
            mine = a.admin().get(url)
            for theirs in (b.admin().get(url), b.admin().post(url, {"post": "yes"})):
                # 403 only where maintainers may not open such pages at all, A's own included.
                assert theirs.status_code == 404 or theirs.status_code == mine.status_code == 403, (
                    f"{theirs.request['REQUEST_METHOD']} {url} as B: {theirs.status_code}"
                )
                assert a.marker not in theirs.content.decode()
        assert a.admin().get(admin_url(model, "change", quote(row.pk))).status_code in (200, 403)
    assert tenant_state(a) == before


def test_custom_admin_views_answer_404_to_b_for_a_objects(world):
    a, b = world
    for model, model_admin in registered():
        standard = {f"{model._meta.app_label}_{model._meta.model_name}_{view}" for view in STANDARD_ADMIN_VIEWS}
        for pattern in model_admin.get_urls():
            if pattern.name is None or pattern.name in standard:
                continue  # the unnamed one redirects old change URLs
            assert pattern.name in ADMIN_VIEW_OBJECTS, f"say in ADMIN_VIEW_OBJECTS what {pattern.name} shows"
            url = reverse(f"admin:{pattern.name}", kwargs=ADMIN_VIEW_OBJECTS[pattern.name](a))
            mine = a.admin().get(url).status_code
            assert mine in (200, 403), url
            for theirs in (b.admin().get(url), b.admin().post(url, {"refresh": "1"})):
                # 403 only where maintainers may not open such pages at all, A's own included.
                assert theirs.status_code == 404 or theirs.status_code == mine == 403, url


def test_b_cannot_accept_a_recommendation_through_its_own_milestone_page(world):
    a, b = world
    url = reverse("admin:sprints_milestone_forecast", kwargs={"milestone_id": b.row(Milestone).pk})
    response = b.admin().post(url, {"accept": a.row(Recommendation).pk})
    assert response.status_code == 404
    assert not Recommendation.objects.get(pk=a.row(Recommendation).pk).accepted


def test_admin_autocomplete_finds_nothing_of_a(world):
    a, b = world
    found_by_a = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = admin.site._registry.get(getattr(field, "related_model", None))
            if not field.concrete or not field.is_relation or target is None or not target.search_fields:
                continue
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name,
                     "field_name": field.name, "term": ""}
            response = b.admin().get("/admin/autocomplete/", query)
            assert a.marker not in response.content.decode(), f"autocomplete of {model._meta.label}.{field.name}"
            found_by_a += a.marker in a.admin().get("/admin/autocomplete/", query).content.decode()
    assert found_by_a > 10  # the lookups do answer, with A's own rows


def test_admin_actions_of_b_do_nothing_to_a_objects(world):
    a, b = world
    before = tenant_state(a)
    request = RequestFactory().get("/admin/")
    request.user = b.user
    for model, model_admin in registered():
        row = tenant_row(a, model)
        if row is None:
            continue
        for action in model_admin.get_actions(request):
            b.admin().post(admin_url(model, "changelist"), {"action": action, ACTION_CHECKBOX_NAME: [row.pk]})
    assert tenant_state(a) == before


def test_b_cannot_add_rows_pointing_at_a_repository(world):
    a, b = world
    client = b.admin()
    follow = client.post(admin_url(RepositoryFollow, "add"), {
        "user": b.user.pk, "repository": a.repository.pk, "notification_settings": '{"email": false}',
    })
    job = client.post(admin_url(AnalysisJob, "add"), {"repository": a.repository.pk, "type": "triage",
                                                      "options": "{}"})
    assert follow.status_code == job.status_code == 200  # the form again, with an error
    assert b"Select a valid choice" in follow.content and b"Select a valid choice" in job.content
    assert not RepositoryFollow.objects.filter(user=b.user, repository=a.repository).exists()
    assert not AnalysisJob.objects.filter(repository=a.repository, created_by=b.user).exists()


def test_b_cannot_write_the_global_triage_config_every_organization_falls_back_to(world):
    _, b = world
    page = b.admin().post(admin_url(ConfigSnapshot, "add"), {
        "config_version": 424242, "repository": "", "classification_rules_yaml": "{}", "thresholds_yaml": "{}",
        "is_active": "on",
    })
    assert page.status_code == 200 and b"This field is required" in page.content
    assert not ConfigSnapshot.objects.filter(pk=424242).exists()


def test_b_cannot_point_a_job_at_a_clone_on_the_server(world):
    a, b = world
    options = {"path": f"/srv/clones/{a.marker}"}  # say, where A's clone lives
    api = b.api().post(f"/api/v1/repositories/{b.repository.pk}/jobs", {"type": "ingest_git", "options": options},
                       format="json")
    page = b.admin().post(admin_url(AnalysisJob, "add"), {
        "repository": b.repository.pk, "type": "ingest_git", "options": json.dumps(options),
    })
    assert api.status_code == 400 and "options" in api.json()["error"]["details"]
    assert page.status_code == 200 and b"only operators" in page.content
    assert not AnalysisJob.objects.filter(repository=b.repository, type="ingest_git").exists()


def test_a_follower_who_left_the_organization_hears_nothing_more_of_it(world):
    a, b = world
    RepositoryFollow.objects.create(user=b.user, repository=a.repository)  # followed while a member

    followers_notify(repository_id=a.repository.pk, kind="high_risk_commit", event_key="zqxalpha:2",
                     subject="zqxalpha news", body="zqxalpha")

    assert Notification.objects.filter(event_key="zqxalpha:2").get().user == a.user


# Tables whose row counts may change while B looks around: B's own audit trail and sessions.
VOLATILE = {"gitinsight.AuditLog", "admin.LogEntry", "sessions.Session", "gitinsight.RateLimitCounter"}


def tenant_state(tenant: Tenant) -> dict:
    """Every row of the tenant as stored, and the row count of every table."""
    rows = {label: type(row).objects.filter(pk=row.pk).values().first() for label, row in tenant.rows.items()}
    for label, values in rows.items():
        if label == User._meta.label or label == ApiKey._meta.label:
            values.pop("last_login", None)
            values.pop("last_used", None)
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model._meta.label not in VOLATILE and not model._meta.proxy}
    return {"rows": rows, "counts": counts}


# --- hostile writer ----------------------------------------------------------------------
# B's owner fills every field of every form and every write body with A's values: A's row ids,
# A's repository, organization and user, A's config_version, A's shas. Each write must be refused
# or ignored: A's rows stay as they were, and no row outside A comes to point at one of A's rows.

# A few names a body may carry although no input declares them (mass assignment).
SMUGGLED_KEYS = ("id", "pk", "organization", "repository", "user", "config_version")


def field_as_posted(field: models.Field, value, key: str, form: dict[str, list[str]]) -> dict[str, list[str]]:
    """`value` of `field` as a browser posts it under `key` (for the admin's widgets)."""
    if isinstance(field, models.DateTimeField) and f"{key}_0" in form:
        local = timezone.localtime(value) if value else None
        return {f"{key}_0": [local.date().isoformat() if local else ""],
                f"{key}_1": [local.time().strftime("%H:%M:%S") if local else ""]}
    if isinstance(field, models.ManyToManyField):
        return {key: [str(pk) for pk in value.values_list("pk", flat=True)]}
    if isinstance(field, models.BooleanField):
        return {key: ["on"] if value else []}
    if isinstance(field, models.JSONField):
        return {key: [json.dumps(value)]}
    if isinstance(value, list | tuple):
        return {key: [",".join(map(str, value))]}
    return {key: ["" if value is None else str(value)]}


def hostile_admin_posts(model: type[models.Model], form: dict[str, list[str]], a: Tenant, context
                        ) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """(what was set, the form's data) for each field of the model and of its inline rows set to
    the value it has in A's row of the same model; last, every field at once."""
    targets = [("", model)]
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        targets += [(f"{formset.prefix}-{index}-", formset.model) for index in range(len(formset.forms))]
    everything: dict[str, list[str]] = {}
    for prefix, target in targets:
        a_row = tenant_row(a, target)
        if a_row is None:
            continue
        for field in [*target._meta.concrete_fields, *target._meta.many_to_many]:
            value = getattr(a_row, field.name if field.many_to_many else field.attname)
            posted = field_as_posted(field, value, prefix + field.name, form)
            everything.update(posted)
            yield f"{prefix}{field.name}", {**form, **posted}
    yield "every field", {**form, **everything}


class Watch:
    """A's rows as stored and every row outside A that points at one of them, compared after each
    write (two queries: the pass makes hundreds of writes). What changed is noted and becomes the
    new baseline, so one failure does not hide the next."""

    def __init__(self, tenant: Tenant) -> None:
        self.problems: list[str] = []
        quote = connection.ops.quote_name
        own = {label: (type(row), row.pk) for label, row in tenant.rows.items()}
        rows, references = [], []
        # Only quoted table and column names of our own models go into the SQL; values are parameters.
        for label, (model, pk) in own.items():
            table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
            rows.append((f"SELECT %s, row_to_json(t)::text FROM {table} t WHERE {key} = %s", [label, pk]))  # noqa: S608
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy:
                continue
            table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
            for field in model._meta.concrete_fields:
                target = own.get(field.related_model._meta.concrete_model._meta.label) if field.is_relation else None
                if target is None:
                    continue
                sql = f"SELECT %s, {key}::text FROM {table} WHERE {quote(field.column)} = %s"  # noqa: S608
                params = [f"{model._meta.label}.{field.name}", target[1]]
                if model._meta.label in own:  # A's own row of this model points at A by right
                    sql, params = f"{sql} AND {key} <> %s", [*params, own[model._meta.label][1]]
                references.append((sql, params))
        self.queries = [(" UNION ALL ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps])
                        for parts in (rows, references)]
        self.rows, self.references = self.read()

    def read(self) -> tuple[dict[str, str], set[tuple[str, str]]]:
        with connection.cursor() as cursor:
            cursor.execute(*self.queries[0])
            rows = dict(cursor.fetchall())
            cursor.execute(*self.queries[1])
            return rows, set(cursor.fetchall())

    def check(self, write: str) -> None:
        rows, references = self.read()
        changed = sorted(label for label in self.rows if rows.get(label) != self.rows[label])
        if changed:
            self.problems.append(f"{write} changed A's {', '.join(changed)}")
        if references - self.references:
            self.problems.append(f"{write} made {sorted(references - self.references)} point at A")
        self.rows, self.references = rows, references


def b_forms(model: type[models.Model], b: Tenant) -> Iterator[tuple[str, dict[str, list[str]], dict]]:
    """(url, data, page context) of the forms B may save for the model: the change form of B's own
    row as its page shows it, and the add form filled with the values of B's row."""
    b_row = tenant_row(b, model)
    change_url = admin_url(model, "change", quote(b_row.pk))
    page = b.admin().get(change_url)
    if page.status_code == 200 and page.context.get("has_change_permission"):
        yield change_url, form_data(page.content.decode(), f"{model._meta.model_name}_form"), page.context
    add_url = admin_url(model, "add")
    page = b.admin().get(add_url)
    if page.status_code == 200:
        form = form_data(page.content.decode(), f"{model._meta.model_name}_form")
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.name in form or f"{field.name}_0" in form:
                value = getattr(b_row, field.name if field.many_to_many else field.attname)
                form.update(field_as_posted(field, value, field.name, form))
        yield add_url, form, page.context


def test_b_forms_filled_with_a_values_change_nothing_of_a(world):
    a, b = world
    watch = Watch(a)
    forms = 0
    for model, _model_admin in registered():
        if tenant_row(b, model) is None:
            continue
        for url, form, context in b_forms(model, b):
            forms += 1
            if url.endswith("/change/"):  # the form as read is valid: refusals below come from A's values
                assert b.admin().post(url, {**form, "_save": "Save"}).status_code == 302, url
            for what, data in hostile_admin_posts(model, form, a, context):
                response = b.admin().post(url, {**data, "_save": "Save"})
                if response.status_code not in (200, 302, 403):
                    watch.problems.append(f"{url} with A's {what}: {response.status_code}")
                watch.check(f"{url} with A's {what}")
    assert not watch.problems, "\n".join(watch.problems)
    assert forms >= 8  # B does save its own rows through these forms


def a_value_for(name: str, a: Tenant, url_kwargs: dict):
    """What of A's a body field named `name` can carry: A's id of the object the URL addresses,
    A's row of the model it names, else the value A's repository or another row of A stores
    under that name."""
    if name in ("id", "pk"):
        return next(iter(url_kwargs.values()), a.repository.pk)
    if name in url_kwargs:
        return url_kwargs[name]
    by_name = {re.sub(r"(?<!^)(?=[A-Z])", "_", label.split(".")[1]).lower(): row for label, row in a.rows.items()}
    if name.removesuffix("_id") in by_name:
        return by_name[name.removesuffix("_id")].pk
    for row in (a.repository, *a.rows.values()):
        if any(field.name == name for field in row._meta.concrete_fields):
            value = getattr(row, name)
            return value.pk if isinstance(value, models.Model) else value
    return None


def test_b_writes_filled_with_a_values_change_nothing_of_a(world):
    a, b = world
    schema = b.session().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    watch = Watch(a)
    client = b.session()  # a key would be revoked by its own revoke endpoint halfway
    sent = 0
    for name, route, methods in api_routes():
        for method in set(methods) & set(WRITE_METHODS):
            valid = API_WRITES[(name, method)]
            b_kwargs = API_OBJECTS[name](b) if PARAMETER.search(route) else {}
            a_kwargs = API_OBJECTS[name](a) if PARAMETER.search(route) else {}
            path = "/" + PARAMETER.sub(r"{\1}", route)
            operation = (schema["paths"].get(path) or schema["paths"][path.replace("{pk}", "{id}")])[method]
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            reference = body_schema.get("schema", {}).get("$ref", "")
            declared = list(components[reference.rsplit("/", 1)[-1]]["properties"]) if reference else []
            url = reverse(name, kwargs=b_kwargs)
            for key in dict.fromkeys([*declared, *SMUGGLED_KEYS, *a_kwargs]):
                value = a_value_for(key, a, a_kwargs)
                if value is None:
                    continue
                body = {**(valid(b) if valid else {}), key: value}
                response = getattr(client, method)(url, json.loads(json.dumps(body, default=str)), format="json")
                sent += 1
                write = f"{method.upper()} {url} with A's {key}"
                if response.status_code >= 500:
                    watch.problems.append(f"{write}: {response.status_code}")
                watch.check(write)
    assert not watch.problems, "\n".join(watch.problems)
    assert sent > 30


def test_no_admin_form_or_api_input_offers_a_primary_key(world):
    """A primary key typed into a form moves the row onto whichever row has that key."""
    _, b = world
    request = RequestFactory().get("/admin/")
    # The widest forms: an operator's.
    request.user = User.objects.create_superuser(username="operator", password="x-long-password")
    offered = []
    for model, model_admin in registered():
        b_row = tenant_row(b, model)
        forms = [(None, model_admin.has_add_permission(request))]
        if b_row is not None:
            forms.append((b_row, model_admin.has_change_permission(request, b_row)))
        for obj, savable in forms:
            # A read-only page shows every field as text; only a form that saves can take a key.
            if savable and model._meta.pk.name in model_admin.get_form(request, obj).base_fields:
                offered.append(f"{model._meta.label} ({'change' if obj else 'add'})")
    assert not offered, f"the admin lets a user type the primary key of {offered}"
    schema = b.session().get("/api/schema/", {"format": "json"}).json()
    for name, component in schema["components"]["schemas"].items():
        writable = {key for key, spec in component.get("properties", {}).items() if not spec.get("readOnly")}
        if name.endswith(("Input", "Request")):
            assert not writable & {"id", "pk", "config_version"}, f"{name} accepts a primary key"
