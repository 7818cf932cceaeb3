import json

from django.core.management.base import BaseCommand

from benchmarks.webhooks import bench_run


class Command(BaseCommand):
    help = (
        "Send signed webhook deliveries (10 % replayed) from many threads to gunicorn on loopback and print "
        "JSON {server, accepted_per_s, p50_ms, p99_ms, lost, duplicated}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--n", type=int, default=2000)
        parser.add_argument("--concurrency", type=int, default=16)
        parser.add_argument("--duplicates", type=float, default=0.1, help="Share of replayed deliveries.")
        parser.add_argument("--processes", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads of each worker process.")
        parser.add_argument(
            "--url", help="Target a running server (signed with GITHUB_WEBHOOK_SECRET) instead of starting one."
        )

    def handle(self, *args, n: int, concurrency: int, duplicates: float, url: str | None, **options) -> None:
        result = bench_run(
            n=n, concurrency=concurrency, duplicate_ratio=duplicates, url=url, processes=options["processes"],
            threads=options["threads"],
        )
        self.stdout.write(json.dumps(result.as_dict()))
