"""What ingestion announces. Higher apps (analysis, triage, sprints) connect receivers in
their AppConfig.ready() and enqueue django-q2 tasks with transaction.on_commit.
Every signal is sent after the rows are stored, with ids only."""

from django.dispatch import Signal

#: repository_id: int, commit_ids: list[int]
commits_ingested = Signal()
#: repository_id: int, pull_request_id: int, head_sha: str
pull_request_opened = Signal()
#: repository_id: int, pull_request_id: int, head_sha: str, previous_head_sha: str | None
pull_request_head_changed = Signal()
#: repository_id: int, pull_request_id: int, merged: bool
pull_request_closed = Signal()
#: repository_id: int, check_run_id: int
check_run_completed = Signal()
#: repository_id: int, issue_id: int
issue_changed = Signal()
#: repository_id: int, milestone_id: int
milestone_changed = Signal()
