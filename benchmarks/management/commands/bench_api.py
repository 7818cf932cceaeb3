import json

from django.core.management.base import BaseCommand, CommandError

from benchmarks.api_load.database import BenchDatabaseError
from benchmarks.api_load.run import bench_api_run


class Command(BaseCommand):
    help = (
        "Populate a benchmark database (reused when it has the same sizes), serve it with gunicorn on loopback and "
        "time every commit, pull request, repository, check run and issue endpoint with concurrent keep-alive "
        "clients; prints JSON {endpoints: {name: {requests, p50_ms, p95_ms, errors}}, overall} as the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default="bench_api", help="Database on the configured server.")
        parser.add_argument("--commits", type=int, default=100_000)
        parser.add_argument("--pull-requests", type=int, default=10_000)
        parser.add_argument("--concurrency", type=int, default=8, help="Clients, each on one connection.")
        parser.add_argument("--duration", type=float, default=20.0, help="Seconds of measured load.")
        parser.add_argument("--requests", type=int, help="Stop after this many requests instead.")
        parser.add_argument("--processes", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads of each worker process.")
        parser.add_argument("--fresh", action="store_true", help="Rebuild the data even when the sizes match.")

    def handle(self, *args, **options) -> None:
        try:
            result = bench_api_run(
                database=options["database"],
                commits=options["commits"],
                pull_requests=options["pull_requests"],
                concurrency=options["concurrency"],
                duration=None if options["requests"] else options["duration"],
                requests=options["requests"],
                processes=options["processes"],
                threads=options["threads"],
                fresh=options["fresh"],
            )
        except BenchDatabaseError as exc:
            raise CommandError(str(exc)) from exc
        data = result["data"]
        self.stderr.write(
            f"data {'reused' if data['reused'] else 'populated'}: {data['commits']} commits, "
            f"{data['pull_requests']} pull requests ({data['populate_s']} s)"
        )
        self.stdout.write(json.dumps(result))
