"""What ingestion announces. Higher apps (analysis, triage, sprints) connect receivers in
their AppConfig.ready() and enqueue django-q2 tasks with transaction.on_commit.
Every signal is sent after the rows are stored (after the transaction commits), with ids
only, by `ingestion.services.rows.announce`; a receiver that raises is logged and does
not affect ingestion."""

from django.dispatch import Signal

#: repository_id: int, commit_ids: list[int] — the commits new in one write (a push, one
#: batch of up to 2000 commits of `ingest_git`, a pull request's commit list)
commits_ingested = Signal()
#: repository_id: int, pull_request_id: int, head_sha: str — first seen open, or reopened
pull_request_opened = Signal()
#: repository_id: int, pull_request_id: int, head_sha: str, previous_head_sha: str | None
#: — the head of an open pull request moved (a push to its branch)
pull_request_head_changed = Signal()
#: repository_id: int, pull_request_id: int, merged: bool — an open pull request closed
pull_request_closed = Signal()
#: repository_id: int, check_run_id: int — the check run became completed (once)
check_run_completed = Signal()
#: repository_id: int, check_run_github_id: int, head_sha: str, identifier: str, requested_by: str
#: — someone pressed a button GitInsight put on its own check run (GitHub's `requested_action`)
check_run_action_requested = Signal()
#: installation_id: int, repository_ids: list[int] — an App installation was created with these
#: repositories, or they were added to it (installation / installation_repositories webhooks)
repositories_installed = Signal()
#: repository_id: int, issue_id: int — created or any field changed
issue_changed = Signal()
#: repository_id: int, milestone_id: int — created or any field changed
milestone_changed = Signal()
