"""Crawl every admin page reachable from the index as a user of the running database and
print what a maintainer should not read, and each page's time (`make demo` data).

    .venv/bin/python scripts/crawl_admin.py [USERNAME]
"""

import os
import sys
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
    slow = sorted(result.pages.items(), key=lambda item: -item[1])
    print(f"\n{len(result.pages)} pages, {len(result.problems)} with problems; slowest:")
    for url, seconds in slow[:15]:
        print(f"  {seconds * 1000:6.0f} ms  {url}")


if __name__ == "__main__":
    main()
