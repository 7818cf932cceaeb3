"""Query-string filters of the list endpoints (django-filter)."""

from functools import cache

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend

from ingestion.api.page_query import PageRows
from ingestion.models import CheckRun, Commit, Issue, Milestone, PullRequest, Repository
from ingestion.selectors import REPOSITORY_IDS, pull_request_among, repository_ids_visible_to


def _asked(name: str, params) -> bool:
    """Whether the query string names filter `name`."""
    return any(_names(param, name) for param in params)


def _names(param: str, name: str) -> bool:
    """Whether query parameter `param` names filter `name`. Prefixes count, for widgets that
    suffix their parameters (`_min`, `_after`)."""
    return param.startswith(name)


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that leaves the queryset alone, without building the FilterSet
    and its form (about 1 ms a request), when the query string names none of its filters:
    page 1 and the cursor pages of a plain list. When every filter it names is a plain
    equality (`_plain_filters`) with a value that is obviously valid, it filters by those
    values itself, the same lookups django-filter would make; anything else, an invalid
    value above all, goes through django-filter, so errors read as they always did."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = filterset_class.base_filters if filterset_class else ()
        params = request.query_params
        asked = [param for param in params if any(_names(param, name) for name in names)]
        if not asked:
            return queryset
        planned = _plain_lookups(filterset_class, asked, params, request)
        if planned is not None:
            lookups, ordering = planned
            queryset = queryset.filter(**lookups) if lookups else queryset
            return queryset.order_by(*ordering) if ordering else queryset
        if isinstance(queryset, PageRows):  # django-filter asks for a QuerySet
            queryset = queryset.orm()
        return super().filter_queryset(request, queryset, view)


# How a plain filter's value is checked: a repository id among the caller's, a pull request
# id of one of them, one of the choices, text (stripped; empty filters nothing), or one of an
# ordering's choices.
_REPOSITORY, _PULL_REQUEST, _CHOICE, _TEXT, _ORDERING = "repository", "pull request", "choice", "text", "ordering"


@cache
def _plain_filters(filterset_class) -> dict[str, tuple[str, str, frozenset[str] | None]]:
    """{name: (kind, lookup, choices)} of the filters of a FilterSet that test one column for
    equality, with no method, exclusion or distinct, and a form field with no check but
    django-filter's defaults (not required; text without null characters; a choice)."""
    plain = {}
    for name, spec in filterset_class.base_filters.items():
        if spec.method is not None or spec.exclude or spec.distinct or spec.lookup_expr != "exact":
            continue
        lookup = f"{spec.field_name}__{spec.lookup_expr}"
        if type(spec) is VisibleRepositoryFilter:
            plain[name] = (_REPOSITORY, lookup, None)
        elif type(spec) is VisiblePullRequestFilter:
            plain[name] = (_PULL_REQUEST, lookup, None)
        elif type(spec) is filters.ChoiceFilter and set(spec.extra) == {"choices", "required"} and (
            isinstance(spec.extra["choices"], (list, tuple)) and not spec.extra["required"]
        ):
            keys = frozenset(str(key) for key, _ in spec.extra["choices"])
            plain[name] = (_CHOICE, lookup, keys - {spec.null_value, ""})
        elif type(spec) is filters.CharFilter and spec.extra == {"required": False}:
            plain[name] = (_TEXT, lookup, None)
        elif type(spec) is filters.OrderingFilter and not spec.extra.get("required"):
            plain[name] = (_ORDERING, "", frozenset(str(key) for key, _ in spec.extra["choices"]))
    return plain


def _plain_lookups(filterset_class, asked: list[str], params, request) -> tuple[dict, tuple[str, ...]] | None:
    """The lookups and ordering of a query string that names plain filters only, each by its
    exact name and with a value django-filter would accept unchanged; None otherwise."""
    plain = _plain_filters(filterset_class)
    lookups, ordering = {}, ()
    for name in asked:
        if name not in plain:
            return None
        kind, lookup, choices = plain[name]
        value = params.get(name)  # the last value, as the form's widget reads it
        if kind == _TEXT:
            value = value.strip()
            if "\x00" in value:
                return None
            if value:
                lookups[lookup] = value
        elif kind == _CHOICE:
            if value not in choices:
                return None
            lookups[lookup] = value
        elif kind == _REPOSITORY and value:
            if not (value.isascii() and value.isdigit()) or int(value) not in request_repository_ids(request):
                return None
            lookups[lookup] = int(value)
        elif kind == _PULL_REQUEST and value:
            # An id that is not the caller's goes to django-filter, which refuses it as always.
            if not (value.isascii() and value.isdigit()) or not pull_request_among(
                    int(value), request_repository_ids(request)):
                return None
            lookups[lookup] = int(value)
        elif kind == _ORDERING and value:
            if value not in choices:  # several fields, or not one of its own: django-filter's
                return None
            ordering = (filterset_class.base_filters[name].get_ordering_value(value),)
    return lookups, ordering


class AskedFilterSet(filters.FilterSet):
    """A FilterSet that copies, and builds form fields for, only the filters the query string
    names: django-filter deep-copies every filter and makes a form field of each on every
    request (most of a millisecond for eight filters), and a filter not named filters nothing."""

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None:
            self.base_filters = {name: f for name, f in type(self).base_filters.items() if _asked(name, data)}
        super().__init__(data, *args, **kwargs)


def _visible(model):
    """Choices of a related-object filter: only the caller's rows, so that another organization's
    id is refused like a missing one instead of answering an empty page (which tells it exists)."""

    def queryset(request):
        if request is None:  # schema generation
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return queryset


visible_repositories = _visible(Repository)
visible_milestones = _visible(Milestone)
visible_pull_requests = _visible(PullRequest)


def request_repository_ids(request) -> list[int]:
    """`repository_ids_visible_to` the request's user, read once per request: a list scopes
    its rows by these ids and its repository filter checks its value against them. An API
    key's request read them in the statement that entered its scope (ingestion/apps.py)."""
    user = request.user
    known = getattr(request, "_gitinsight_repository_ids", None)
    if known is None or known[0] is not user:
        entered = getattr(getattr(request, "auth", None), "scope_companions", {}).get(REPOSITORY_IDS)
        known = (user, list(entered) if entered is not None else repository_ids_visible_to(user))
        request._gitinsight_repository_ids = known
    return known[1]


class _VisibleIdField(ModelChoiceField):
    """A ModelChoiceField whose value is checked against ids already read (`visible_ids`)
    rather than by a query of its own; it cleans to the id, which filters as the object
    would. Without `visible_ids` (no request) it is the ordinary field."""

    visible_ids: frozenset[int] | None = None

    def to_python(self, value):
        if self.visible_ids is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        if pk not in self.visible_ids:
            # The ModelChoiceField's own refusal, for a missing id and another organization's alike.
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return pk


class VisibleRepositoryFilter(filters.ModelChoiceFilter):
    """`repository=<id>` among the caller's repositories. The lists read the caller's
    repository ids anyway (`request_repository_ids`); checking the value against them
    spares the query of a ModelChoiceFilter (about 0.8 ms of a 6 ms request). Another
    organization's id is refused exactly like a missing one."""

    field_class = _VisibleIdField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("queryset", visible_repositories)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        request = self.get_request()
        if request is not None and getattr(request, "user", None) is not None:
            field.visible_ids = frozenset(request_repository_ids(request))
        return field


class VisiblePullRequestFilter(filters.ModelChoiceFilter):
    """`pull_request=<id>` among the caller's pull requests (`visible_to`). A valid id takes the
    short way (`_plain_lookups`: one EXISTS over the caller's repository ids instead of loading
    the pull request and building the form); anything else is the ModelChoiceFilter's."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("queryset", visible_pull_requests)
        super().__init__(*args, **kwargs)


class RepositoryFilter(AskedFilterSet):
    """Repository search: text in the name or description, language and stars."""

    organization = filters.CharFilter(field_name="organization__login")
    q = filters.CharFilter(method="filter_text")
    language = filters.CharFilter(field_name="language", lookup_expr="iexact")
    min_stars = filters.NumberFilter(field_name="stars", lookup_expr="gte")
    ordering = filters.OrderingFilter(fields=["stars", "full_name", "updated_at"])

    class Meta:
        model = Repository
        fields = ["organization", "language", "monitoring_status", "is_active", "analysis_status", "owner"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(description__icontains=value))


class CommitFilter(AskedFilterSet):
    repository = VisibleRepositoryFilter()
    committed_after = filters.IsoDateTimeFilter(field_name="committed_at", lookup_expr="gte")
    committed_before = filters.IsoDateTimeFilter(field_name="committed_at", lookup_expr="lt")
    sha = filters.CharFilter(field_name="sha", lookup_expr="startswith")

    class Meta:
        model = Commit
        fields = ["repository", "author_login", "author_email", "is_merge", "source", "sha"]


class PullRequestFilter(AskedFilterSet):
    repository = VisibleRepositoryFilter()
    milestone = filters.ModelChoiceFilter(queryset=visible_milestones)
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    label = filters.CharFilter(method="filter_label")

    class Meta:
        model = PullRequest
        fields = ["repository", "state", "draft", "author_login", "head_sha", "milestone", "merged",
                  "analysis_status"]

    def filter_label(self, queryset, name, value):
        return queryset.filter(labels__contains=[value])


class IssueFilter(AskedFilterSet):
    repository = VisibleRepositoryFilter()
    milestone = filters.ModelChoiceFilter(queryset=visible_milestones)
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    label = filters.CharFilter(method="filter_label")

    class Meta:
        model = Issue
        fields = ["repository", "state", "author_login", "milestone", "is_pull_request"]

    def filter_label(self, queryset, name, value):
        return queryset.filter(labels__contains=[value])


class MilestoneFilter(AskedFilterSet):
    repository = VisibleRepositoryFilter()
    due_before = filters.IsoDateTimeFilter(field_name="due_on", lookup_expr="lt")

    class Meta:
        model = Milestone
        fields = ["repository", "state"]


class CheckRunFilter(AskedFilterSet):
    repository = VisibleRepositoryFilter()
    pull_request = VisiblePullRequestFilter()

    class Meta:
        model = CheckRun
        fields = ["repository", "pull_request", "head_sha", "name", "status", "conclusion", "app_slug"]
