import json
import logging

from django.core.management.base import BaseCommand, CommandError

from benchmarks.api_load.database import BenchDatabaseError
from benchmarks.jobs.redis_server import RedisUnavailable
from benchmarks.jobs.run import JobsBenchError, bench_jobs_run


class Command(BaseCommand):
    help = (
        "Enqueue idempotent tasks, run them through separate django-q2 worker clusters (optionally SIGKILLing one "
        "mid-run) and check every task completed exactly once; prints JSON {broker, tasks, completed_once, lost, "
        "duplicated, tasks_per_s} as the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--broker", choices=["orm", "redis"], default="orm")
        parser.add_argument("--tasks", type=int, default=1000)
        parser.add_argument("--clusters", type=int, default=2, help="Separate qcluster processes.")
        parser.add_argument("--workers", type=int, default=2, help="Worker processes of each cluster.")
        parser.add_argument("--kill-one", action="store_true", help="SIGKILL one cluster once a third is done.")
        parser.add_argument("--work-ms", type=int, default=20, help="Milliseconds each task works.")
        parser.add_argument("--retry", type=int, default=10, help="Seconds before a leased task is handed out again.")
        parser.add_argument("--database", default="bench_jobs", help="Database on the configured server.")
        parser.add_argument("--redis-url", help="A running Redis; by default a private redis-server is started.")

    def handle(self, *args, **options) -> None:
        logging.getLogger("django-q").setLevel(logging.WARNING)  # one "Enqueued" line per task otherwise
        try:
            result = bench_jobs_run(
                broker=options["broker"], tasks=options["tasks"], clusters=options["clusters"],
                workers=options["workers"], kill_one=options["kill_one"], work_ms=options["work_ms"],
                retry=options["retry"], database=options["database"], redis_url=options["redis_url"],
            )
        except (BenchDatabaseError, JobsBenchError, RedisUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"{result['tasks']} tasks on {result['broker']}: {result['completed_once']} completed once, "
            f"{result['lost']} lost, {result['duplicated']} duplicated, {result['ran_again']} run again "
            f"({result['tasks_per_s']} tasks/s)"
        )
        self.stdout.write(json.dumps(result))
