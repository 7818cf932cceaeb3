from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the demo data: ingest a git repository (default: this project) when ingestion is available."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repo", default=".", help="Path of a git clone to ingest.")

    def handle(self, *args, repo: str, **options) -> None:
        from django.core.management import get_commands

        if "ingest_git" not in get_commands():
            self.stdout.write("Ingestion is not installed yet; the demo starts with an empty workspace.")
            return
        call_command("ingest_git", repo, stdout=self.stdout, stderr=self.stderr)
