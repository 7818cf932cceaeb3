import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from benchmarks.failures.root_causes import BenchmarkDataError, run_benchmark


class Command(BaseCommand):
    help = (
        "Score root-cause location on labelled failed CI logs; prints JSON {n, precision, recall, f1, "
        "top1_hit, seconds_per_log, seconds_max} as the last line (line-level, excerpt of at most 20 lines)."
    )

    def add_arguments(self, parser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--logchunks", type=Path, help="LogChunks folder (labels/ and logs.tar.xz).")
        source.add_argument("--marked", type=Path, help="Folder of logs with #=MATCH=# marker lines.")
        source.add_argument("--cases", type=Path, help="Folder of cases: failed.log, passed.log, label.json.")
        parser.add_argument(
            "--logs-dir",
            type=Path,
            help="Where the LogChunks logs are (unpacked there if empty); default .cache/logchunks.",
        )
        parser.add_argument("--limit", type=int, help="Score only the first N cases.")

    def handle(self, *args, logchunks: Path | None, marked: Path | None, cases: Path | None, **options) -> None:
        kind, directory = next((k, d) for k, d in (("logchunks", logchunks), ("marked", marked), ("cases", cases)) if d)
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        logs_dir = options["logs_dir"] or Path(settings.BASE_DIR) / ".cache" / "logchunks"
        try:
            report = run_benchmark(
                kind=kind,
                directory=directory,
                logs_dir=logs_dir,
                limit=options["limit"],
                progress=lambda items, total: tqdm(items, total=total, file=sys.stderr, disable=None, unit="log"),
            )
        except BenchmarkDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report))
