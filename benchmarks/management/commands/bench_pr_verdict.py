import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.pr_verdict import bench_run

MIRROR = Path("/work/.mirror/pytest-dev+pytest/repo")
LOGS = Path("/work/shared/data/ci/pytorch-log-fixtures/classify")


class Command(BaseCommand):
    help = (
        "Open real pull request heads at once through signed webhooks (some the same change twice, some followed "
        "by a failed check with a real log) on gunicorn, a worker cluster and a fake GitHub on loopback; print "
        "JSON {prs, check_runs, duplicate_check_runs, lost, p50_s, p95_s} measured from each delivery to its "
        "GitInsight check run's last edit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--prs", type=int, default=50)
        parser.add_argument("--git-dir", type=Path, default=MIRROR,
                            help="A clone (bare or .git) with refs/pull/<n>/head and refs/heads/main.")
        parser.add_argument("--logs-dir", type=Path, default=LOGS,
                            help="Real CI logs (*.txt) served as the failed checks' job logs; read, never copied.")
        parser.add_argument("--duplicates", type=int, default=5, help="Pull requests opened a second time.")
        parser.add_argument("--failing", type=int, default=8, help="Pull requests followed by a failed check.")
        parser.add_argument("--processes", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker process.")
        parser.add_argument("--workers", type=int, default=settings.Q_CLUSTER["workers"],
                            help="Worker processes of the cluster (default: as deployed, Q_WORKERS).")
        parser.add_argument("--timeout", type=float, default=300.0)
        parser.add_argument("--profile-dir", type=Path, default=None,
                            help="Write each worker task's cProfile statistics here (slows the tasks down).")

    def handle(self, *args, prs: int, git_dir: Path, logs_dir: Path, **options) -> None:
        if not (git_dir / "HEAD").exists() and not (git_dir / ".git").exists():
            raise CommandError(f"{git_dir} is not a git clone")
        git_dir = git_dir / ".git" if (git_dir / ".git").is_dir() else git_dir
        if options["duplicates"] >= prs:
            raise CommandError("--duplicates must be fewer than --prs")
        result = bench_run(prs=prs, git_dir=git_dir, logs_dir=logs_dir if logs_dir.is_dir() else None,
                           duplicates=options["duplicates"], failing=options["failing"],
                           processes=options["processes"], threads=options["threads"], workers=options["workers"],
                           timeout=options["timeout"], profiles=options["profile_dir"])
        self.stdout.write(json.dumps(result))
