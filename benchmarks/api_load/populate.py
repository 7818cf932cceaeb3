"""Realistic synthetic data for bench_api, written with COPY: one organization of several
repositories of uneven size, a team of authors, commits over three years (some with
files), pull requests in every state with titles, bodies and labels, their check runs,
and issues."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, models
from tqdm import tqdm

from gitinsight.database.owner import as_owner
from gitinsight.database.rls import copy_into
from gitinsight.models import Membership, Organization, User
from ingestion.models import CheckRun, Commit, CommitFile, FileChannel, FileStatus, Issue, PullRequest, Repository

ORGANIZATION = "bench-api"
USERNAME = "bench-api-reader"
# Name, share of the commits and pull requests: real organizations have one big repository.
REPOSITORIES = [("platform", 30), ("web", 20), ("mobile", 14), ("infra", 10), ("docs", 9), ("sdk-python", 8),
                ("sdk-go", 6), ("cli", 3)]
START = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
VERBS = ["Fix", "Add", "Refactor", "Update", "Remove", "Speed up", "Document", "Test", "Handle", "Rename"]
SUBJECTS = ["the login redirect", "pagination of the commit list", "retry on 502 from GitHub", "flaky CI job",
            "the webhook signature check", "dependency pins", "dark mode colours", "memory use of the importer",
            "timezone handling in reports", "the README quick start", "error messages of the CLI", "N+1 in the API"]
LABELS = ["bug", "enhancement", "documentation", "performance", "security", "good first issue", "dependencies"]
PATHS = ["src/app/views.py", "src/app/models.py", "src/app/api/serializers.py", "src/app/tasks.py",
         "tests/test_views.py", "tests/test_models.py", "docs/index.md", "docs/api.md", "README.md",
         "pyproject.toml", ".github/workflows/ci.yml", "web/src/App.tsx", "web/src/api.ts", "Makefile"]
CHECKS = ["ci / test", "ci / lint", "build", "codeql"]


@dataclass(frozen=True)
class BenchData:
    organization_id: int
    repository_ids: list[int]
    commits: int
    pull_requests: int
    check_runs: int
    issues: int
    reused: bool


def _channel(path: str) -> str:
    if path.startswith("tests/"):
        return FileChannel.TESTS
    if path.startswith("docs/") or path.endswith(".md"):
        return FileChannel.DOCS
    if path.startswith(".github/") or path in {"pyproject.toml", "Makefile"}:
        return FileChannel.META
    return FileChannel.PRODUCTION


def _copy(model: type[models.Model], instances: Iterable[models.Model], *, total: int, desc: str) -> None:
    """COPY unsaved `instances` into the model's table (through a temporary table, as
    row-level security asks), each field prepared as Django would for an INSERT (defaults,
    auto_now, JSON, arrays): about ten times bulk_create."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, copy_into(cursor, model._meta.db_table, columns) as copy:
        for instance in tqdm(instances, total=total, desc=desc, unit="row", file=sys.stderr, disable=None):
            copy.write_row([field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields])


def _spread(total: int, repositories: list[Repository]) -> list[Repository]:
    """The repository of each of `total` rows, in time order, in the REPOSITORIES shares."""
    weights = [share for _, share in REPOSITORIES]
    return random.Random(total).choices(repositories, weights=weights, k=total)


def _commits(rng: random.Random, repositories: list[Repository], authors: list[tuple[str, str, str]], n: int):
    heads: dict[int, str] = {}
    for index, repository in enumerate(_spread(n, repositories)):
        sha = f"{rng.getrandbits(160):040x}"
        name, email, login = rng.choice(authors)
        when = START + SPAN * index / n
        is_merge = rng.random() < 0.08
        parents = [heads[repository.pk]] if repository.pk in heads else []
        if is_merge:
            parents.append(f"{rng.getrandbits(160):040x}")
        heads[repository.pk] = sha
        subject = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}"
        body = "" if rng.random() < 0.5 else "\n\n" + " ".join(rng.choices(SUBJECTS, k=rng.randint(3, 12)))
        added, deleted = int(rng.paretovariate(1.2) * 8), int(rng.paretovariate(1.4) * 4)
        yield Commit(
            repository=repository, sha=sha, parents=parents, message=subject + body, author_name=name,
            author_email=email, author_login=login, committer_name=name, committer_email=email,
            committer_login=login, authored_at=when - timedelta(minutes=rng.randint(0, 600)), committed_at=when,
            lines_added=min(added, 50_000), lines_deleted=min(deleted, 50_000), files_changed=rng.randint(1, 12),
            is_merge=is_merge, source=Commit.Source.GIT,
        )


def _commit_files(rng: random.Random, commits: list[tuple[int, int]]):
    for commit_id, repository_id in commits:
        for path in rng.sample(PATHS, rng.randint(1, 4)):
            yield CommitFile(
                repository_id=repository_id, commit_id=commit_id, path=path, status=FileStatus.MODIFIED,
                additions=rng.randint(0, 200), deletions=rng.randint(0, 80), channel=_channel(path),
            )


def _pull_requests(rng: random.Random, repositories: list[Repository], logins: list[str], n: int):
    numbers: dict[int, int] = {}
    states = [PullRequest.State.MERGED, PullRequest.State.CLOSED, PullRequest.State.OPEN]
    for index, repository in enumerate(_spread(n, repositories)):
        number = numbers[repository.pk] = numbers.get(repository.pk, 0) + 1
        created = START + SPAN * index / n
        # Old pull requests are settled; the open ones are mostly recent.
        state = rng.choices(states, weights=[70, 18, 12] if index < n * 0.9 else [30, 10, 60])[0]
        updated = created + timedelta(hours=rng.randint(1, 24 * 14))
        closed = updated if state != PullRequest.State.OPEN else None
        title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}"
        body = "\n\n".join(
            ["## Why", " ".join(rng.choices(SUBJECTS, k=8)), "## How", " ".join(rng.choices(SUBJECTS, k=10))]
        )
        yield PullRequest(
            github_id=1_000_000_000 + index, repository=repository, number=number, state=state,
            draft=state == PullRequest.State.OPEN and rng.random() < 0.2, title=title, body=body,
            author_login=rng.choice(logins), html_url=f"https://github.com/{repository.full_name}/pull/{number}",
            base_ref=repository.default_branch, base_sha=f"{rng.getrandbits(160):040x}",
            head_ref=f"feature/{number}", head_sha=f"{rng.getrandbits(160):040x}",
            head_repo_full_name=repository.full_name, additions=rng.randint(1, 900), deletions=rng.randint(0, 400),
            changed_files=rng.randint(1, 30), commits_count=rng.randint(1, 12), comments_count=rng.randint(0, 20),
            review_comments=rng.randint(0, 15), merged=state == PullRequest.State.MERGED,
            merged_at=closed if state == PullRequest.State.MERGED else None,
            requested_reviewers=rng.sample(logins, 2), assignees=rng.sample(logins, 1),
            labels=rng.sample(LABELS, rng.randint(0, 2)), created_at=created, updated_at=updated, closed_at=closed,
        )


def _check_runs(rng: random.Random, pull_requests: list[tuple[int, int, str, datetime]]):
    github_id = 2_000_000_000
    for pull_request_id, repository_id, head_sha, created in pull_requests:
        for name in rng.sample(CHECKS, rng.randint(1, 2)):
            github_id += 1
            conclusion = rng.choices(["success", "failure", "skipped"], weights=[85, 12, 3])[0]
            yield CheckRun(
                github_id=github_id, repository_id=repository_id, pull_request_id=pull_request_id, name=name,
                head_sha=head_sha, status="completed", conclusion=conclusion, app_slug="github-actions",
                output_title=f"{name}: {conclusion}", output_summary=f"{rng.randint(50, 900)} tests",
                started_at=created, completed_at=created + timedelta(minutes=rng.randint(1, 40)),
            )


def _issues(rng: random.Random, repositories: list[Repository], logins: list[str], n: int, first_number: int):
    for index, repository in enumerate(_spread(n, repositories)):
        created = START + SPAN * index / n
        state = "open" if rng.random() < 0.3 else "closed"
        number = first_number + index
        yield Issue(
            github_id=3_000_000_000 + index, repository=repository, number=number,
            title=f"{rng.choice(SUBJECTS).capitalize()} is broken", body=" ".join(rng.choices(SUBJECTS, k=15)),
            state=state, labels=rng.sample(LABELS, rng.randint(0, 2)), assignees=rng.sample(logins, 1),
            author_login=rng.choice(logins), html_url=f"https://github.com/{repository.full_name}/issues/{number}",
            comments_count=rng.randint(0, 12), created_at=created, updated_at=created + timedelta(days=2),
            closed_at=created + timedelta(days=2) if state == "closed" else None,
        )


def _existing(organization: Organization) -> tuple[int, int]:
    return (
        Commit.objects.filter(repository__organization=organization).count(),
        PullRequest.objects.filter(repository__organization=organization).count(),
    )


def bench_data_ensure(*, commits: int, pull_requests: int, fresh: bool = False) -> BenchData:
    """The benchmark organization with exactly `commits` commits and `pull_requests` pull
    requests, reused when already there with those sizes, otherwise rebuilt."""
    organization = Organization.objects.filter(login=ORGANIZATION).first()
    if organization and not fresh and _existing(organization) == (commits, pull_requests):
        return _summary(organization, reused=True)
    if organization:
        organization.delete()
    organization = Organization.objects.create(login=ORGANIZATION, name="Benchmark organization")
    user, _ = User.objects.get_or_create(username=USERNAME)
    Membership.objects.create(organization=organization, user=user, role=Membership.Role.MEMBER)
    _populate(organization, commits=commits, pull_requests=pull_requests)
    # Statistics and the visibility map of a table autovacuum has caught up with, as in a
    # long-running installation; just after COPY the planner would be guessing. VACUUM
    # cannot run in a transaction (a test's), ANALYZE can. Both are the tables' owner's.
    tables = [model._meta.db_table for model in (Repository, Commit, CommitFile, PullRequest, CheckRun, Issue)]
    if connection.in_atomic_block:
        _analyze(connection, "ANALYZE", tables)
    else:
        with as_owner() as owner:
            _analyze(owner, "VACUUM ANALYZE", tables)
    return _summary(organization, reused=False)


def _analyze(database, command: str, tables: list[str]) -> None:
    with database.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {database.ops.quote_name(table)}")


def _populate(organization: Organization, *, commits: int, pull_requests: int) -> None:
    rng = random.Random(42)
    repositories = [
        Repository.objects.create(
            organization=organization, github_id=900_000 + index, owner=ORGANIZATION, name=name,
            full_name=f"{ORGANIZATION}/{name}", description=f"The {name} of the benchmark organization.",
            html_url=f"https://github.com/{ORGANIZATION}/{name}", language="Python", stars=rng.randint(5, 5000),
        )
        for index, (name, _) in enumerate(REPOSITORIES)
    ]
    people = [f"dev{index:02d}" for index in range(60)]
    authors = [(f"Developer {login[3:]}", f"{login}@bench.example", login) for login in people]
    _copy(Commit, _commits(rng, repositories, authors, commits), total=commits, desc="commits")
    ids = list(
        Commit.objects.filter(repository__organization=organization).values_list("pk", "repository_id")
    )
    with_files = [row for row in ids if rng.random() < 0.3]
    _copy(CommitFile, _commit_files(rng, with_files), total=len(with_files) * 2, desc="commit files")
    _copy(PullRequest, _pull_requests(rng, repositories, people, pull_requests), total=pull_requests, desc="prs")
    prs = list(
        PullRequest.objects.filter(repository__organization=organization)
        .values_list("pk", "repository_id", "head_sha", "created_at")
    )
    _copy(CheckRun, _check_runs(rng, prs), total=len(prs) * 3 // 2, desc="check runs")
    # GitHub numbers issues after the pull requests of the same repository.
    _copy(Issue, _issues(rng, repositories, people, pull_requests // 2, pull_requests + 1),
          total=pull_requests // 2, desc="issues")


def _summary(organization: Organization, *, reused: bool) -> BenchData:
    commits, pull_requests = _existing(organization)
    return BenchData(
        organization_id=organization.pk,
        repository_ids=list(organization.repositories.order_by("pk").values_list("pk", flat=True)),
        commits=commits,
        pull_requests=pull_requests,
        check_runs=CheckRun.objects.filter(repository__organization=organization).count(),
        issues=Issue.objects.filter(repository__organization=organization).count(),
        reused=reused,
    )
