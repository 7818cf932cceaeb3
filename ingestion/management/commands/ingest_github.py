"""python manage.py ingest_github OWNER/NAME [--organization LOGIN]: backfill (or bring up
to date) a repository from the GitHub REST API, with the credentials its organization may
use (an App installation bound to it, or the personal token where GITHUB_TOKEN_REPOSITORIES
allows it). Progress goes to stderr; the last line of stdout is a JSON summary."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gitinsight.models import Organization
from ingestion.core.normalize.names import InvalidFullName, full_name_check
from ingestion.models import BackfillRun, Repository
from ingestion.selectors import RepositoryNotFound, repository_by_full_name
from ingestion.services.github_api.auth import client_for_repository
from ingestion.services.github_api.backfill import RepositoryConnectError, backfill_run, repository_follow
from ingestion.services.github_api.errors import GitHubApiError
from ingestion.services.github_api.sync import RESOURCES


class Command(BaseCommand):
    help = "Backfill a repository from the GitHub REST API (resumes an interrupted run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("full_name", help="OWNER/NAME")
        parser.add_argument("--organization", help="Connect the repository to this organization (login) first.")
        parser.add_argument("--resources", default=",".join(RESOURCES), help="Comma-separated subset to read.")
        parser.add_argument(
            "--no-commit-details", action="store_true", help="Skip one request per commit for line counts and files."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        try:
            full_name = full_name_check(options["full_name"])
        except InvalidFullName as exc:
            raise CommandError(str(exc)) from exc
        resources = tuple(r for r in options["resources"].split(",") if r)
        unknown = set(resources) - set(RESOURCES)
        if unknown:
            raise CommandError(f"unknown resources {sorted(unknown)}; choose from {', '.join(RESOURCES)}")
        repository = self._repository(full_name, options["organization"])
        try:
            client = client_for_repository(repository)
        except GitHubApiError as exc:
            raise CommandError(str(exc)) from exc
        backfill = BackfillRun.objects.create(repository=repository)
        bar = tqdm(desc=full_name, unit=" objects", disable=options["no_progress"], file=self.stderr._out)
        started = time.perf_counter()

        def progress(resource: str, count: int) -> None:
            bar.set_postfix_str(resource, refresh=False)
            bar.update(count)

        try:
            backfill_run(
                backfill=backfill,
                client=client,
                resources=resources,
                commit_details=not options["no_commit_details"],
                on_progress=progress,
            )
        except GitHubApiError as exc:
            raise CommandError(f"{full_name}: {exc} (run the command again to resume)") from exc
        finally:
            bar.close()
        summary = {
            "repository": repository.full_name,
            "backfill_id": backfill.pk,
            "status": backfill.status,
            "counts": backfill.counts,
            "requests": client.requests_made,
            "rate_limit_waited_s": round(sum(client.policy.waited.values()), 1),
            "resume_at": backfill.resume_at.isoformat() if backfill.resume_at else None,
            "seconds": round(time.perf_counter() - started, 2),
        }
        self.stdout.write(json.dumps(summary))

    def _repository(self, full_name: str, organization_login: str | None) -> Repository:
        if organization_login:
            organization = Organization.objects.filter(login=organization_login).first()
            if organization is None:
                raise CommandError(f"no organization {organization_login!r}")
            try:
                return repository_follow(full_name=full_name, organization=organization)
            except RepositoryConnectError as exc:
                raise CommandError(str(exc)) from exc
        try:
            return repository_by_full_name(full_name)
        except RepositoryNotFound as exc:
            raise CommandError(f"{full_name} is not connected: pass --organization LOGIN to connect it") from exc
