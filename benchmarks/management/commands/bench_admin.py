import json

from django.core.management.base import BaseCommand, CommandError

from benchmarks.admin_pages import bench_admin_run
from gitinsight.models import User


class Command(BaseCommand):
    help = (
        "Serve the admin of this database (make demo's data) with gunicorn on loopback, sign in as the demo user, "
        "crawl every page reachable from the index once to warm up, then time each page; prints JSON {pages, "
        "p50_ms, p95_ms, max_ms, slowest, over_300ms, cpu_ms_per_page, errors, load_average_1m} as the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", default="demo", help="The signed-in user (make demo creates 'demo').")
        parser.add_argument("--limit", type=int, default=600, help="At most this many pages.")
        parser.add_argument("--per-list", type=int, default=2, help="Change pages visited from each list.")
        parser.add_argument("--repeat", type=int, default=1, help="Timed fetches of each page after the warm-up.")
        parser.add_argument("--processes", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads of each worker process.")

    def handle(self, *args, **options) -> None:
        if not User.objects.filter(username=options["user"]).exists():
            raise CommandError(f"No user {options['user']!r}: run `make demo` first.")
        result = bench_admin_run(username=options["user"], limit=options["limit"], per_list=options["per_list"],
                                 repeat=max(1, options["repeat"]), processes=options["processes"],
                                 threads=options["threads"])
        slowest = result["slowest"]
        self.stderr.write(f"{result['pages']} pages through gunicorn; slowest {slowest.get('ms')} ms "
                          f"{slowest.get('url')}; {result['over_300ms']} over 300 ms")
        self.stdout.write(json.dumps(result))
