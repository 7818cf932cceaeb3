"""A small git history with pull request heads, as a fetched mirror has them (refs/pull/<n>/head),
for the tests of the duplicate benchmark."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(repo: Path, *args: str, when: int = 0, author: str = "t") -> str:
    env = {
        **_ENV,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.split('[')[0]}@example.org",
        "GIT_AUTHOR_DATE": f"{1_700_000_000 + when} +0000",
        "GIT_COMMITTER_DATE": f"{1_700_000_000 + when} +0000",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def commit(repo: Path, path: str, text: str, message: str, when: int, author: str = "t") -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message, when=when, author=author)
    return git(repo, "rev-parse", "HEAD")


GEO = "def area(w, h):\n    return w * h\n\n\ndef unit():\n    return 'm'\n"
GUARDED = GEO.replace("return w * h", "if w < 0 or h < 0:\n        raise ValueError('negative')\n    return w * h")


def history_with_pull_requests(repo: Path) -> dict[str, str]:
    """main with a fix merged from pull request #2 ("Fixes #1"), a release branch with its
    backport as pull request #4 naming #2, pull request #3 by a newcomer racing #2 for issue #1
    with other code, and pull request #5, abandoned, that repeats #2's change exactly."""
    git(repo, "init", "-q", "-b", "main")
    shas = {"root": commit(repo, "src/geo.py", GEO, "Add geometry", when=0)}
    git(repo, "checkout", "-q", "-b", "release")
    shas["release"] = commit(repo, "CHANGES", "1.0: first release\n", "Release 1.0", when=5)
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "fix-negative")
    shas["fix"] = commit(repo, "src/geo.py", GUARDED, "Reject negative sizes\n\nFixes #1", when=10, author="alice")
    git(repo, "update-ref", "refs/pull/2/head", shas["fix"])
    git(repo, "checkout", "-q", "main")
    shas["other"] = commit(repo, "src/text.py", "def shout(s):\n    return s.upper() + '!'\n", "Add shout", when=12)
    git(repo, "checkout", "-q", "-b", "racer", shas["root"])
    racing = GEO.replace("return w * h", "return abs(w) * abs(h)")
    shas["racer"] = commit(repo, "src/geo.py", racing, "Take absolute sizes\n\nFixes #1", when=15, author="zoe")
    git(repo, "update-ref", "refs/pull/3/head", shas["racer"])
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request #2 from alice/fix-negative\n\nReject negative sizes",
        "fix-negative", when=20)
    shas["merge"] = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "backport-2", "release")
    git(repo, "cherry-pick", "-x", shas["fix"], when=30)
    shas["backport"] = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/pull/4/head", shas["backport"])
    git(repo, "checkout", "-q", "release")
    message = "Merge pull request #4 from alice/backport-2\n\n[release] Reject negative"
    git(repo, "merge", "-q", "--no-ff", "-m", message, "backport-2", when=40)
    git(repo, "checkout", "-q", "-b", "again", shas["root"])
    shas["again"] = commit(repo, "src/geo.py", GUARDED, "Guard against negative sizes", when=50, author="bob")
    git(repo, "update-ref", "refs/pull/5/head", shas["again"])
    git(repo, "checkout", "-q", "main")
    for branch in ("fix-negative", "racer", "backport-2", "again"):
        git(repo, "branch", "-q", "-D", branch)
    return shas
