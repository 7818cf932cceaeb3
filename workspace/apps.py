from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """What the apps above ingestion share: analysis jobs and their types, follows and
    notifications, the admin inbox and its providers, embeddings and SVG charts."""

    name = "workspace"
    verbose_name = "Workspace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import repositories_installed
        from workspace.job_types import job_type_register
        from workspace.jobs import run_backfill, run_ingest_git
        from workspace.receivers import on_repositories_installed

        job_type_register("ingest_git", "Ingest a git clone", run_ingest_git)
        job_type_register("backfill", "Backfill from the GitHub API", run_backfill)
        repositories_installed.connect(on_repositories_installed, dispatch_uid="workspace.repositories_installed")
