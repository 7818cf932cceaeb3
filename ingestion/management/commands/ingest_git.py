import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingestion.core.git_log import GitLogError
from ingestion.services.git.ingest import clone_ingest
from ingestion.services.git.walker import CloneError


class Command(BaseCommand):
    help = "Ingest every commit of a local git clone (only new commits on a re-run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="Path of the clone.")
        parser.add_argument("--repo", help="OWNER/NAME (default: from a GitHub origin, else local/<folder>).")
        parser.add_argument("--branch", help="Branch, tag or commit SHA (default: the clone's HEAD).")

    def handle(self, *args, path: str, repo: str | None, branch: str | None, **options) -> None:
        bar = tqdm(unit="commit", file=sys.stderr, disable=None, desc="commits")
        try:
            summary = clone_ingest(
                path=path, full_name=repo, branch=branch, progress=bar.update, on_total=lambda n: bar.reset(total=n)
            )
        except (CloneError, GitLogError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(summary.line())
        self.stdout.write(
            json.dumps(
                {
                    "repository": summary.full_name,
                    "commits_new": summary.commits_new,
                    "files": summary.files,
                    "seconds": round(summary.seconds, 2),
                }
            )
        )
