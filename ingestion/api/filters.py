"""Query-string filters of the list endpoints (django-filter)."""

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend

from ingestion.models import CheckRun, Commit, Issue, Milestone, PullRequest, Repository
from ingestion.selectors import repository_ids_visible_to


def _asked(name: str, params) -> bool:
    """Whether the query string names filter `name`. Prefixes count, for widgets that suffix
    their parameters (`_min`, `_after`)."""
    return any(param.startswith(name) for param in params)


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that leaves the queryset alone, without building the FilterSet
    and its form (about 1 ms a request), when the query string names none of its filters:
    page 1 and the cursor pages of a plain list."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = filterset_class.base_filters if filterset_class else ()
        if not any(_asked(name, request.query_params) for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)


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
    its rows by these ids and its repository filter checks its value against them."""
    user = request.user
    known = getattr(request, "_gitinsight_repository_ids", None)
    if known is None or known[0] is not user:
        known = (user, repository_ids_visible_to(user))
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
    pull_request = filters.ModelChoiceFilter(queryset=visible_pull_requests)

    class Meta:
        model = CheckRun
        fields = ["repository", "pull_request", "head_sha", "name", "status", "conclusion", "app_slug"]
