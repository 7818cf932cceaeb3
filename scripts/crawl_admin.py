"""Crawl every admin page reachable from the index as a user of the running database and
print what a maintainer should not read, and each page's time through Django's test client
(`make demo` data). The page timings to quote are `manage.py bench_admin`'s, through gunicorn.

    .venv/bin/python scripts/crawl_admin.py [USERNAME]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from gitinsight.models import User  # noqa: E402
from tests.crawl.pages import crawl  # noqa: E402


def main() -> None:
    user = User.objects.get(username=sys.argv[1] if len(sys.argv) > 1 else "demo")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    client.get("/admin/")  # warm up
    result = crawl(client)
    for url, problems in sorted(result.problems.items()):
        for problem in problems:
            print(f"{url}\t{problem}")
    # the crawl's own timings include compiling each template once; a second visit is what a
    # maintainer waits for
    timings = {}
    for url in result.pages:
        began = time.perf_counter()
        client.get(url)
        timings[url] = time.perf_counter() - began
    ordered = sorted(timings.values())
    median = ordered[len(ordered) // 2] if ordered else 0
    print(f"\n{len(result.pages)} pages, {len(result.problems)} with problems; median {median * 1000:.0f} ms; "
          f"over 300 ms: {sum(1 for value in ordered if value > 0.3)}; slowest:")
    for url, seconds in sorted(timings.items(), key=lambda item: -item[1])[:15]:
        print(f"  {seconds * 1000:6.0f} ms  {url}")


if __name__ == "__main__":
    main()
