# Fixtures are imported from tests.fakes.fixtures, so test arguments shadow those imports.
# ruff: noqa: F811
"""The REST client against the fake GitHub over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ingestion.core.rate_limit import RateLimitPolicy
from ingestion.services.github_api.auth import github_client, github_for_installation, github_for_token
from ingestion.services.github_api.errors import GitHubApiError, GitHubNotConfigured, GitHubNotFound, RateLimitWait
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    RecordedSleep,
    fake_github,
    github_data,
    github_settings,
    policy,
    sleep,
)
from tests.fakes.github_server import Fault

PULLS = "/repos/octocat/Hello-World/pulls"


def test_it_follows_link_headers_through_every_page(github_settings, fake_github, policy):
    with github_client(github_for_token(), policy=policy) as client:
        pages = list(client.pages("repos/octocat/Hello-World/pulls", params={"state": "all", "per_page": 2}))
    assert [len(page.data) for page in pages] == [2, 2, 1]
    assert sorted(p["number"] for page in pages for p in page.data) == [1, 2, 3, 4, 5]
    assert [r.query.get("page", "1") for r in fake_github.requested(PULLS)] == ["1", "2", "3"]


def test_it_sends_the_stored_etag_and_gets_a_304(github_settings, fake_github, policy):
    with github_client(github_for_token(), policy=policy) as client:
        first = client.get("repos/octocat/Hello-World")
        again = client.get("repos/octocat/Hello-World", etag=first.etag)
    assert first.status == 200 and first.data["full_name"] == "octocat/Hello-World"
    assert again.not_modified and again.data is None
    assert fake_github.requests[-1].headers["if-none-match"] == first.etag


@pytest.mark.parametrize("status", [403, 429])
def test_it_waits_out_a_secondary_rate_limit(github_settings, fake_github, policy, sleep, status):
    fake_github.add_fault(Fault(path=PULLS, status=status, retry_after=7, times=2,
                                message="You have exceeded a secondary rate limit."))
    with github_client(github_for_token(), policy=policy) as client:
        response = client.get("repos/octocat/Hello-World/pulls")
    assert response.status == 200
    assert sleep.waits == [7, 7]
    assert len(fake_github.requested(PULLS)) == 3


def test_a_secondary_limit_without_retry_after_waits_a_minute(github_settings, fake_github, policy, sleep):
    fake_github.add_fault(Fault(path=PULLS, status=403, message="You have exceeded a secondary rate limit."))
    with github_client(github_for_token(), policy=policy) as client:
        assert client.get("repos/octocat/Hello-World/pulls").status == 200
    assert sleep.waits == [60.0]


def test_a_forbidden_answer_is_not_retried(github_settings, fake_github, policy, sleep):
    fake_github.add_fault(Fault(path=PULLS, status=403, message="Resource not accessible by integration"))
    with github_client(github_for_token(), policy=policy) as client, pytest.raises(GitHubApiError) as error:
        client.get("repos/octocat/Hello-World/pulls")
    assert error.value.status == 403 and "not accessible" in str(error.value)
    assert sleep.waits == []


def test_it_gives_up_when_the_secondary_limit_persists(github_settings, fake_github, sleep):
    fake_github.add_fault(Fault(path=PULLS, status=403, retry_after=1, times=10,
                                message="You have exceeded a secondary rate limit."))
    policy = RateLimitPolicy(max_secondary_retries=2, sleep=sleep)
    with github_client(github_for_token(), policy=policy) as client, pytest.raises(GitHubApiError):
        client.get("repos/octocat/Hello-World/pulls")
    assert sleep.waits == [1, 1]


def test_it_waits_for_the_reset_when_the_budget_is_spent(github_settings, fake_github, sleep):
    fake_github.set_rate_limit(remaining=0, reset_in=30)
    sleep.then = fake_github.reset_rate_limit
    policy = RateLimitPolicy(reserve=0, max_wait=60, sleep=sleep)
    with github_client(github_for_token(), policy=policy) as client:
        response = client.get("repos/octocat/Hello-World")
    assert response.status == 200
    assert len(sleep.waits) == 1 and 25 < sleep.waits[0] <= 33
    assert [r.status for r in fake_github.requests] == [403, 200]


def test_it_pauses_before_the_budget_runs_below_the_reserve(github_settings, fake_github, sleep):
    fake_github.set_rate_limit(remaining=3, reset_in=20)
    sleep.then = fake_github.reset_rate_limit
    policy = RateLimitPolicy(reserve=1, max_wait=60, sleep=sleep)
    with github_client(github_for_token(), policy=policy) as client:
        for _ in range(3):
            client.get("repos/octocat/Hello-World")
    assert len(sleep.waits) == 1
    assert all(r.status == 200 for r in fake_github.requests)


def test_it_asks_to_resume_later_when_the_reset_is_far(github_settings, fake_github, sleep):
    fake_github.set_rate_limit(remaining=0, reset_in=3000)
    policy = RateLimitPolicy(reserve=0, max_wait=60, sleep=sleep)
    with github_client(github_for_token(), policy=policy) as client, pytest.raises(RateLimitWait) as wait:
        client.get("repos/octocat/Hello-World")
    assert sleep.waits == []
    assert wait.value.resume_at.timestamp() == pytest.approx(fake_github.rate.reset_at + 1, abs=2)


def test_it_retries_a_dropped_connection(github_settings, fake_github, policy, sleep):
    fake_github.add_fault(Fault(path=PULLS, drop=True, times=2))
    with github_client(github_for_token(), policy=policy) as client:
        assert client.get("repos/octocat/Hello-World/pulls").status == 200
    assert sleep.waits == [1.0, 2.0]


def test_it_reports_a_server_that_keeps_failing(github_settings, fake_github, policy):
    fake_github.add_fault(Fault(path=PULLS, status=502, times=10, message="Bad Gateway"))
    with github_client(github_for_token(), policy=policy) as client, pytest.raises(GitHubApiError) as error:
        client.get("repos/octocat/Hello-World/pulls")
    assert error.value.status == 502 and "Bad Gateway" in str(error.value)


def test_it_tells_a_missing_repository_apart(github_settings, fake_github, policy):
    with github_client(github_for_token(), policy=policy) as client, pytest.raises(GitHubNotFound):
        client.get("repos/octocat/Nope")


def test_it_needs_credentials(settings):
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_APP_ID = ""
    with pytest.raises(GitHubNotConfigured):
        github_client(github_for_token())
    with pytest.raises(GitHubNotConfigured):
        github_client(github_for_installation(31337))


def test_it_authenticates_as_the_app_installation_it_is_given(settings, fake_github, policy):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    settings.GITHUB_API_URL = fake_github.url
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_APP_ID = str(fake_github.app_id)
    settings.GITHUB_APP_PRIVATE_KEY = pem.replace("\n", "\\n")
    with github_client(github_for_installation(fake_github.installation_id), policy=policy) as client:
        assert client.get("repos/octocat/Hello-World").status == 200
    token, repo = fake_github.requests  # no "which installation covers this name?" question first
    assert token.method == "POST" and token.path == f"/app/installations/{fake_github.installation_id}/access_tokens"
    assert repo.headers["authorization"] == f"token {fake_github.installation_token}"
