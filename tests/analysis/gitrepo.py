"""Small real git repositories built with the git CLI for the analysis tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

START = 1_577_836_800  # 2020-01-01T00:00:00Z
DAY = 86_400


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.clock = START

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True, check=True,
                                env={**os.environ, **(env or {})})
        return result.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit(self, message: str, *, author: str = "alice", files: dict[str, str] | None = None,
               days: int = 1) -> str:
        for relative, text in (files or {}).items():
            self.write(relative, text)
        self.clock += days * DAY
        stamp = f"@{self.clock} +0000"
        env = {
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.org", "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.org",
            "GIT_COMMITTER_DATE": stamp,
        }
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD")


def lines(*items: str) -> str:
    return "\n".join(items) + "\n"


def buggy_history(path: Path, *, modules: int = 30) -> tuple[GitRepo, dict[str, str]]:
    """A history where every third module is written in one large commit by a newcomer and
    later fixed; the others are small commits by a regular. Returns the repo and
    {inducing sha: fix sha}."""
    repo = GitRepo(path)
    repo.commit("Initial layout", files={"README.md": "demo\n"})
    inducing: dict[str, str] = {}
    pending: list[tuple[str, str]] = []
    for index in range(modules):
        name = f"pkg{index % 4}/module{index}.py"
        if index % 3 == 0:
            body = [f"def f{index}_{k}(x):" + f"\n    return x * {k}" for k in range(30)]
            sha = repo.commit(f"Add module {index}", author=f"newcomer{index}", files={name: lines(*body)})
            pending.append((sha, name))
        else:
            sha = repo.commit(f"Add helper {index}", author="regular", files={name: lines(f"VALUE = {index}")})
        if pending and index % 3 == 2:
            bad_sha, bad_name = pending.pop(0)
            text = (repo.path / bad_name).read_text().replace("return x * 3\n", "return x * 3 + 1\n")
            fix = repo.commit(f"Fix crash in {bad_name}", author="regular", files={bad_name: text})
            inducing[bad_sha] = fix
    return repo, inducing
