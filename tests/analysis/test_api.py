
from analysis.services.predictions import commits_predict, pull_request_predict
from ingestion.models import Commit, PullRequest, PullRequestCommit
from tests.conftest import key_client


def scored(repository) -> Commit:
    commit = Commit.objects.filter(repository=repository, is_merge=False).order_by("authored_at").last()
    commits_predict(repository_id=repository.pk, commit_ids=[commit.pk])
    return commit


def test_alice_reads_the_risk_of_an_acme_commit_with_its_evidence(trained, alice):
    commit = scored(trained)

    response = key_client(alice, "read").get(f"/api/v1/repositories/{trained.pk}/commits/{commit.sha}/risk")

    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["sha"] == commit.sha and row["model_version"] == 1
    assert {"feature", "value", "contribution"} <= set(row["top_features"][0])


def test_charlie_sees_no_risk_of_acme(trained, charlie, globex):
    commit = scored(trained)
    client = key_client(charlie, "read")

    assert client.get(f"/api/v1/repositories/{trained.pk}/commits/{commit.sha}/risk").status_code == 404
    assert client.get("/api/v1/risk/model-versions").json()["results"] == []


def test_model_versions_list_their_holdout_metrics(trained, bob):
    rows = key_client(bob, "read").get("/api/v1/risk/model-versions").json()["results"]

    assert [(row["version"], row["is_active"]) for row in rows] == [(1, True)]
    assert "auc" in rows[0]["metrics"]


def test_the_risk_of_a_pull_request_names_its_riskiest_commit(trained, alice):
    commit = Commit.objects.filter(repository=trained, is_merge=False).order_by("authored_at").last()
    pull_request = PullRequest.objects.create(repository=trained, number=3, title="One change", head_sha=commit.sha)
    PullRequestCommit.objects.create(repository=trained, pull_request=pull_request, sha=commit.sha, commit=commit)
    pull_request_predict(pull_request_id=pull_request.pk, head_sha=commit.sha)

    rows = key_client(alice, "read").get(f"/api/v1/repositories/{trained.pk}/pulls/3/risk").json()["results"]

    summary = [(row["head_sha"], row["riskiest_commit"], row["commit_count"]) for row in rows]
    assert summary == [(commit.sha, commit.sha, 1)]


def test_a_risky_open_pull_request_needs_attention_only_in_its_organization(trained, alice, charlie):
    from analysis.inbox import risky_pull_requests
    from analysis.models import PullRequestRiskPrediction

    commit = Commit.objects.filter(repository=trained, is_merge=False).order_by("authored_at").last()
    pull_request = PullRequest.objects.create(repository=trained, number=9, title="Rewrite", head_sha=commit.sha)
    PullRequestCommit.objects.create(repository=trained, pull_request=pull_request, sha=commit.sha, commit=commit)
    prediction = pull_request_predict(pull_request_id=pull_request.pk, head_sha=commit.sha)
    PullRequestRiskPrediction.objects.filter(pk=prediction.pk).update(risk_level="high")

    items = risky_pull_requests(alice)
    assert [(item.title, item.severity, item.repository) for item in items] == [("#9 Rewrite", "high", "acme/demo")]
    assert risky_pull_requests(charlie) == []
