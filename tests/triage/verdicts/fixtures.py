"""acme's repository acme/rocket on the fake GitHub, with the GitInsight App installed on acme
and check runs turned on for the organization; pull requests and their analyses as rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.models import CheckRun, Installation, PullRequest, Repository
from tests.fakes.fixtures import app_settings_use
from tests.fakes.github_examples import ExamplesMissing, RepositoryData, build_repository
from tests.fakes.github_server import FakeGitHub
from triage.duplicates.models import AnalysisRun, CandidateEdge
from triage.failures.core.excerpt import Excerpt, ExcerptLine, compress_excerpt
from triage.failures.core.rules import RULES_VERSION
from triage.failures.models import CheckFailureAnalysis
from triage.verdicts.models import CheckRunPolicy

INSTALLATION = 5101
ROCKET_ID = 4242


@pytest.fixture
def rocket_data() -> RepositoryData:
    try:
        return build_repository("acme", "rocket", repo_id=ROCKET_ID, pulls=2, issues=0, commits=2, milestones=0,
                                workflow_runs=0)
    except ExamplesMissing as exc:
        pytest.skip(f"GitHub's example responses are not cached ({exc})")


@pytest.fixture
def github(rocket_data, settings, app_private_key) -> Iterator[FakeGitHub]:
    """The fake GitHub with the App installed on acme, and the server running as that App."""
    with FakeGitHub(rocket_data) as fake:
        fake.installations.clear()
        fake.add_installation(INSTALLATION, "acme")
        app_settings_use(settings, fake, app_private_key)
        yield fake


@pytest.fixture
def rocket(acme, github) -> Repository:
    installation = Installation.objects.create(github_id=INSTALLATION, organization=acme, account_login="acme",
                                               account_type="Organization")
    return Repository.objects.create(organization=acme, installation=installation, github_id=ROCKET_ID,
                                     owner="acme", name="rocket", full_name="acme/rocket",
                                     html_url="https://github.com/acme/rocket")


@pytest.fixture
def check_runs_on(acme) -> CheckRunPolicy:
    return CheckRunPolicy.objects.create(organization=acme, enabled=True)


def sha(n: int) -> str:
    return f"{n:040x}"


def pull_request(repository: Repository, number: int, *, head: int | None = None, author: str = "octo",
                 merged: bool = False, title: str | None = None) -> PullRequest:
    return PullRequest.objects.create(
        repository=repository, number=number, title=title or f"Change {number}", author_login=author,
        head_sha=sha(head or number), base_sha="b" * 40, base_ref="main",
        state="closed" if merged else "open", merged=merged,
        html_url=f"https://github.com/{repository.full_name}/pull/{number}",
    )


def duplicates_done(pr: PullRequest, *, candidate: PullRequest | None = None, category: str = "SAME_CHANGE",
                    score: float = 0.93) -> AnalysisRun:
    """A finished duplicate analysis of the head, with one candidate when given."""
    run = AnalysisRun.objects.create(repository=pr.repository, pull_request=pr, head_sha=pr.head_sha,
                                     signature_version=1, algorithm_version=1, config_version=1,
                                     status=AnalysisRun.Status.DONE, finished_at=timezone.now())
    if candidate is not None:
        CandidateEdge.objects.create(
            analysis_run=run, repository=pr.repository, pull_request_a=pr, head_sha_a=pr.head_sha,
            pull_request_b=candidate, head_sha_b=candidate.head_sha, rank=1, category=category, final_score=score,
            evidence_json={"production_paths": ["src/rocket/engine.py"], "symbols": ["ignite"]},
        )
    return run


def failed_check(pr: PullRequest, *, name: str = "tests (3.12)", github_id: int = 77001) -> CheckRun:
    now = timezone.now()
    return CheckRun.objects.create(
        github_id=github_id, repository=pr.repository, pull_request=pr, name=name, head_sha=pr.head_sha,
        status="completed", conclusion="failure", html_url=f"https://github.com/acme/rocket/runs/{github_id}",
        started_at=now - timedelta(minutes=5), completed_at=now,
    )


def failure_analysed(check_run: CheckRun, *, attribution: str = "new", confidence: float = 0.7,
                     evidence: list[dict] | None = None, root_cause_line: str = "") -> CheckFailureAnalysis:
    lines = Excerpt([ExcerptLine(number=41, text="collected 3 items", highlighted=False),
                     ExcerptLine(number=42, text=root_cause_line or "E   AssertionError: thrust too low",
                                 highlighted=True)])
    return CheckFailureAnalysis.objects.create(
        check_run=check_run, pull_request=check_run.pull_request, head_sha=check_run.head_sha, status="done",
        category="test_failure", category_confidence=0.9, attribution=attribution, attribution_confidence=confidence,
        attribution_evidence=evidence if evidence is not None else [
            {"kind": "no_other_explanation", "detail": "not retried; the same failure on no other commit within 7 days",
             "url": ""}],
        rules_version=RULES_VERSION, excerpt=compress_excerpt(lines), analysed_at=timezone.now(),
        suggested_fix="A test fails: run it locally with the change and fix the code or the expectation.",
    )
