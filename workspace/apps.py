from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """What the apps above ingestion share: analysis jobs and their types, follows and
    notifications, the admin inbox and the repository overview with their providers, embeddings."""

    name = "workspace"
    verbose_name = "Workspace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ingestion.signals import repositories_installed
        from workspace.job_types import job_type_register
        from workspace.jobs import run_backfill, run_ingest_git, run_sample_pack
        from workspace.receivers import on_repositories_installed

        job_type_register("ingest_git", "Ingest a git clone", run_ingest_git)
        job_type_register("backfill", "Backfill from the GitHub API", run_backfill)
        job_type_register("sample_pack", "Load the demo's generated pull requests, issues and checks", run_sample_pack)
        repositories_installed.connect(on_repositories_installed, dispatch_uid="workspace.repositories_installed")
