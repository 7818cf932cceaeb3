import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gitinsight.models import Organization
from ingestion.models import Repository
from ingestion.services.git.ingest import clone_ingest, repository_discard
from ingestion.services.git.walker import CloneError, clone_open


class Command(BaseCommand):
    help = (
        "Ingest a clone into a fresh repository record and compare the time with `git log --numstat` "
        "on the same clone; prints JSON {commits, seconds, commits_per_s, git_seconds, ratio}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--branch")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark repository and its rows.")

    def handle(self, *args, path: str, branch: str | None, keep: bool, **options) -> None:
        try:
            clone = clone_open(path, branch=branch)
        except CloneError as exc:
            raise CommandError(str(exc)) from exc
        organization, _ = Organization.objects.get_or_create(login="bench", defaults={"name": "Benchmarks"})
        name = f"{Path(clone.path).resolve().name}-{uuid.uuid4().hex[:8]}"
        repository = Repository.objects.create(
            organization=organization, owner="bench", name=name, full_name=f"bench/{name}", local_path=clone.path
        )
        try:
            bar = tqdm(unit="commit", file=sys.stderr, disable=None, desc="ingest")
            summary = clone_ingest(
                path=path,
                branch=branch,
                repository=repository,
                progress=bar.update,
                on_total=lambda n: bar.reset(total=n),
            )
            bar.close()
            started = time.perf_counter()
            subprocess.run(
                ["git", "-C", clone.path, "log", "--numstat", "--end-of-options", clone.head_sha, "--"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            git_seconds = time.perf_counter() - started
        finally:
            if not keep:
                repository_discard(repository_id=repository.pk)
        self.stdout.write(
            json.dumps(
                {
                    "commits": summary.commits_new,
                    "seconds": round(summary.seconds, 3),
                    "commits_per_s": round(summary.commits_new / summary.seconds, 1),
                    "git_seconds": round(git_seconds, 3),
                    "ratio": round(summary.seconds / git_seconds, 2),
                }
            )
        )
