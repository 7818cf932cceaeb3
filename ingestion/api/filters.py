"""Query-string filters of the list endpoints (django-filter)."""

import django_filters as filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend

from ingestion.models import CheckRun, Commit, Issue, Milestone, PullRequest, Repository


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
    repository = filters.ModelChoiceFilter(queryset=visible_repositories)
    committed_after = filters.IsoDateTimeFilter(field_name="committed_at", lookup_expr="gte")
    committed_before = filters.IsoDateTimeFilter(field_name="committed_at", lookup_expr="lt")
    sha = filters.CharFilter(field_name="sha", lookup_expr="startswith")

    class Meta:
        model = Commit
        fields = ["repository", "author_login", "author_email", "is_merge", "source", "sha"]


class PullRequestFilter(AskedFilterSet):
    repository = filters.ModelChoiceFilter(queryset=visible_repositories)
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
    repository = filters.ModelChoiceFilter(queryset=visible_repositories)
    milestone = filters.ModelChoiceFilter(queryset=visible_milestones)
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    label = filters.CharFilter(method="filter_label")

    class Meta:
        model = Issue
        fields = ["repository", "state", "author_login", "milestone", "is_pull_request"]

    def filter_label(self, queryset, name, value):
        return queryset.filter(labels__contains=[value])


class MilestoneFilter(AskedFilterSet):
    repository = filters.ModelChoiceFilter(queryset=visible_repositories)
    due_before = filters.IsoDateTimeFilter(field_name="due_on", lookup_expr="lt")

    class Meta:
        model = Milestone
        fields = ["repository", "state"]


class CheckRunFilter(AskedFilterSet):
    repository = filters.ModelChoiceFilter(queryset=visible_repositories)
    pull_request = filters.ModelChoiceFilter(queryset=visible_pull_requests)

    class Meta:
        model = CheckRun
        fields = ["repository", "pull_request", "head_sha", "name", "status", "conclusion", "app_slug"]
