import json

from django.core.management.base import BaseCommand, CommandError

from ingestion.models import Repository
from sprints.services.search_index import search_documents_index_each


class Command(BaseCommand):
    help = "Index issues, pull requests, commit messages and docs of repositories for search. JSON last."

    def add_arguments(self, parser) -> None:
        parser.add_argument("full_names", nargs="*", help="owner/name of repositories (default: all active).")

    def handle(self, *args, full_names: list[str], **options) -> None:
        repositories = Repository.objects.filter(is_active=True)
        if full_names:
            repositories = Repository.objects.filter(full_name__in=full_names)
            missing = set(full_names) - set(repositories.values_list("full_name", flat=True))
            if missing:
                raise CommandError(f"unknown repositories: {', '.join(sorted(missing))}")
        results = search_documents_index_each(
            repositories, on_indexed=lambda full_name, result: self.stderr.write(f"{full_name}: {result}")
        )
        self.stdout.write(json.dumps(results))
