# ruff: noqa: E501 - log lines are quoted as CI printed them
"""Rows and logs for the failed-check tests: short excerpts of real GitHub Actions logs
(pytorch CI), timestamps kept so the cleaning is exercised."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from ingestion.models import CheckRun, PullRequest, Repository, WorkflowJob
from tests.fakes.github_examples import RepositoryData
from tests.fakes.github_server import FakeGitHub

PYTEST_FAILURE = """\
2026-07-30T10:55:18.2469101Z collecting ... collected 1 item
2026-07-30T10:55:18.2470097Z distributed/test_c10d_spawn_gloo.py::TestDistributedNNFunctionsGloo::test_all_gather FAILED [310.0221s]
2026-07-30T10:55:18.2470367Z =================================== FAILURES ===================================
2026-07-30T10:55:18.2470578Z ________________ TestDistributedNNFunctionsGloo.test_all_gather ________________
2026-07-30T10:55:18.2470774Z Traceback (most recent call last):
2026-07-30T10:55:18.2479263Z   File "/opt/conda/lib/python3.10/site-packages/torch/testing/_internal/common_distributed.py", line 910, in wrapper
2026-07-30T10:55:18.2479572Z     self._join_processes(fn)
2026-07-30T10:55:18.2480927Z     raise RuntimeError(
2026-07-30T10:55:18.2481107Z RuntimeError: Process 0 terminated or timed out after 310.0115718841553 seconds
2026-07-30T10:55:18.2486609Z =========================== short test summary info ============================
2026-07-30T10:55:18.2486986Z FAILED distributed/test_c10d_spawn_gloo.py::TestDistributedNNFunctionsGloo::test_all_gather - RuntimeError: Process 0 terminated or timed out after 310.0115718841553 seconds
2026-07-30T10:55:18.2487533Z ======================== 1 failed in 310.03s (0:05:10) =========================
2026-07-30T10:55:18.2493864Z ##[error]Process completed with exit code 1.
"""

PYTEST_PASSED = """\
2026-07-29T09:12:01.1000000Z collecting ... collected 1 item
2026-07-29T09:12:01.1000001Z distributed/test_c10d_spawn_gloo.py::TestDistributedNNFunctionsGloo::test_all_gather PASSED [12.0221s]
2026-07-29T09:12:01.1000002Z ======================== 1 passed in 12.03s =========================
"""

COMPILE_ERROR = """\
2026-07-30T13:21:30.7845783Z [2575/3333] Building CXX object caffe2/CMakeFiles/torch_cpu.dir/__/torch/csrc/profiler/kineto_metadata.cpp.o
2026-07-30T13:21:30.7846808Z FAILED: [code=1] caffe2/CMakeFiles/torch_cpu.dir/__/torch/csrc/profiler/kineto_metadata.cpp.o
2026-07-30T13:21:30.7885143Z /__w/pytorch/pytorch/torch/csrc/profiler/kineto_metadata.cpp: In lambda function:
2026-07-30T13:21:30.7886920Z /__w/pytorch/pytorch/torch/csrc/profiler/kineto_metadata.cpp:128:26: error: no matching function for call to 'AddTensorMetadata::addMetadata(const MetadataField<long int>&, long unsigned int&)'
2026-07-30T13:21:30.7888083Z   128 |         this->addMetadata(fields::kPythonParentId, *parent_id);
2026-07-30T13:21:30.7888491Z       |         ~~~~~~~~~~~~~~~~~^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
2026-07-30T13:21:31.8054844Z *** CMake build failed
2026-07-30T13:21:31.8060000Z ##[error]Process completed with exit code 1.
"""

FAILED_AT = datetime(2026, 7, 30, 11, 0, tzinfo=UTC)


def make_repository(organization, name: str = "rocket") -> Repository:
    return Repository.objects.create(organization=organization, owner=organization.login, name=name,
                                     full_name=f"{organization.login}/{name}")


def make_pull_request(repository: Repository, number: int, *, head_sha: str | None = None) -> PullRequest:
    return PullRequest.objects.create(repository=repository, number=number, title=f"Change {number}",
                                      head_sha=head_sha or f"{number:040x}", base_ref="main",
                                      base_sha="b" * 40, state="open", html_url=f"https://github.com/x/y/pull/{number}")


_ids = iter(range(900_000, 10_000_000))


def make_check_run(repository: Repository, *, sha: str, name: str = "test (distributed)", conclusion: str = "failure",
                   pull_request: PullRequest | None = None, attempt: int = 1, run_id: int = 7001,
                   branch: str = "feature", at: datetime = FAILED_AT) -> CheckRun:
    """A check run and the Actions job behind it (same GitHub id, as GitHub does)."""
    github_id = next(_ids)
    check_run = CheckRun.objects.create(
        github_id=github_id, repository=repository, pull_request=pull_request, name=name, head_sha=sha,
        status="completed", conclusion=conclusion, html_url=f"https://github.com/x/y/runs/{github_id}",
        completed_at=at, started_at=at - timedelta(minutes=5))
    WorkflowJob.objects.create(github_id=github_id, repository=repository, run_github_id=run_id, run_attempt=attempt,
                               name=name, status="completed", conclusion=conclusion, head_sha=sha,
                               head_branch=branch, completed_at=at)
    return check_run


@pytest.fixture
def rocket(acme) -> Repository:
    return make_repository(acme)


@pytest.fixture
def fake_actions(settings, rocket) -> Iterator[FakeGitHub]:
    """A fake GitHub serving acme/rocket's Actions logs, and the app pointed at it."""
    with FakeGitHub(RepositoryData(repo={"full_name": rocket.full_name})) as fake:
        settings.GITHUB_API_URL = fake.url
        settings.GITHUB_TOKEN = fake.token
        settings.GITHUB_TOKEN_REPOSITORIES = [f"{rocket.organization.login}:{rocket.full_name}"]
        settings.GITHUB_APP_ID = ""
        settings.GITHUB_APP_PRIVATE_KEY = ""
        yield fake
