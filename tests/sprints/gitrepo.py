"""A real git repository of releases, built in one `git fast-import` run (thousands of commits in well
under a second)."""

from __future__ import annotations

import subprocess
from pathlib import Path

DAY = 86_400


def release_history(path: Path, *, releases: int = 24, size: int = 30, era: int = 4) -> Path:
    """Tags 1.0..1.N. Every release is `size` commits; the team alternates, every `era` releases,
    between one and three commits a day, so a release takes 30 or 10 days and recent throughput tells
    which."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream: list[str] = []
    moment, mark = 1_600_000_000, 0
    for release in range(releases + 1):
        per_day = 1 if (release // era) % 2 == 0 else 3
        for index in range(size):
            mark += 1
            when = moment + (index // per_day) * DAY + (index % per_day) * 600
            content = f"{mark}\n"
            stream += [
                "commit refs/heads/main",
                f"mark :{mark}",
                f"committer a <a@example.org> {when} +0000",
                f"data {len(f'change {mark}')}",
                f"change {mark}",
            ]
            if mark > 1:
                stream.append(f"from :{mark - 1}")
            stream += ["M 644 inline work.txt", f"data {len(content)}", content]
        moment = when + DAY
        stream += [f"reset refs/tags/1.{release}", f"from :{mark}", ""]
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input="\n".join(stream).encode(), check=True)
    return path
