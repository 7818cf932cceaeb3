"""Explicit output (and input) shapes of the ingestion API."""

from rest_framework import serializers

from ingestion.api.fast_output import FastOutput
from ingestion.core.normalize.names import InvalidFullName, full_name_check
from ingestion.models import BackfillRun, CheckRun, Commit, Issue, Milestone, PullRequest, Repository


class RepositoryOutput(FastOutput):
    organization = serializers.SlugRelatedField(slug_field="login", read_only=True)

    class Meta:
        model = Repository
        fields = [
            "id", "organization", "github_id", "owner", "name", "full_name", "description", "html_url", "language",
            "stars", "forks", "watchers", "size", "default_branch", "is_private", "is_fork", "is_archived",
            "is_active", "monitoring_status", "failure_count", "last_polled_at", "last_analyzed", "analysis_status",
            "contributor_count", "github_created_at", "pushed_at", "created_at", "updated_at",
        ]


class RepositoryConnectInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=201, help_text="OWNER/NAME on GitHub.")
    organization = serializers.IntegerField(required=False, help_text="Organization id; optional with only one.")

    def validate_full_name(self, value: str) -> str:
        try:
            return full_name_check(value)
        except InvalidFullName as exc:
            raise serializers.ValidationError(str(exc)) from exc


class BackfillOutput(FastOutput):
    class Meta:
        model = BackfillRun
        fields = ["id", "repository", "status", "counts", "error", "resume_at", "created_at", "started_at",
                  "finished_at"]


class CommitOutput(FastOutput):
    class Meta:
        model = Commit
        fields = [
            "id", "repository", "sha", "parents", "message", "author_name", "author_email", "author_login",
            "committer_name", "committer_email", "committer_login", "authored_at", "committed_at", "lines_added",
            "lines_deleted", "files_changed", "is_merge", "stats_complete", "source",
        ]


class PullRequestOutput(FastOutput):
    class Meta:
        model = PullRequest
        fields = [
            "id", "repository", "github_id", "number", "state", "draft", "title", "body", "author_login",
            "html_url", "base_ref", "base_sha", "head_ref", "head_sha", "head_repo_full_name", "additions",
            "deletions", "changed_files", "commits_count", "comments_count", "review_comments", "merged",
            "merged_at", "merge_commit_sha", "mergeable", "requested_reviewers", "assignees", "labels", "milestone",
            "created_at", "updated_at", "closed_at", "analysis_status", "last_analyzed_head_sha",
        ]


class IssueOutput(FastOutput):
    class Meta:
        model = Issue
        fields = [
            "id", "repository", "github_id", "number", "title", "body", "state", "state_reason", "labels",
            "assignees", "author_login", "html_url", "comments_count", "is_pull_request", "milestone",
            "created_at", "updated_at", "closed_at",
        ]


class MilestoneOutput(FastOutput):
    class Meta:
        model = Milestone
        fields = [
            "id", "repository", "github_id", "number", "title", "description", "state", "html_url", "start_date",
            "due_on", "open_issues", "closed_issues", "total_issues", "completion_percentage", "created_at",
            "updated_at", "closed_at",
        ]


class CheckRunOutput(FastOutput):
    class Meta:
        model = CheckRun
        fields = [
            "id", "repository", "pull_request", "github_id", "external_id", "name", "head_sha", "status",
            "conclusion", "details_url", "logs_url", "html_url", "app_slug", "output_title", "output_summary",
            "annotations_count", "started_at", "completed_at",
        ]
