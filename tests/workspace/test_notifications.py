import pytest
from django.core import mail

from analysis.models import CommitRiskPrediction
from analysis.services.notifications import high_risk_commits_notify
from analysis.services.predictions import commits_predict
from gitinsight.models import AuditLog
from ingestion.models import Commit, Repository
from tests.conftest import key_client
from workspace.models import Notification, RepositoryFollow
from workspace.services.notifications import followers_notify, repository_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_repo(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="api", full_name="acme/api")


def notify(repository, key="new_check_failure:run-1"):
    return followers_notify(repository_id=repository.pk, kind="new_check_failure", event_key=key,
                            subject="tests failed on #12", body="The failure is new in this PR.", url="/admin/x/")


def test_a_follower_gets_one_email_per_event_however_often_it_is_reported(api_repo, alice):
    repository_follow(user=alice, repository=api_repo)
    assert notify(api_repo) == 1
    assert notify(api_repo) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[acme/api] tests failed on #12"
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "http://127.0.0.1:8000/admin/x/" in mail.outbox[0].body
    assert Notification.objects.get().sent_at is not None


def test_a_follower_who_turned_an_event_off_gets_nothing(api_repo, alice):
    repository_follow(user=alice, repository=api_repo, notification_settings={"events": ["milestone_at_risk"]})
    assert notify(api_repo) == 0
    assert mail.outbox == []


def test_people_who_do_not_follow_get_nothing(api_repo, alice, bob):
    repository_follow(user=alice, repository=api_repo)
    notify(api_repo)
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_high_risk_commits_notify_their_followers_with_the_reasons(trained, alice):
    repository_follow(user=alice, repository=trained)
    commit_ids = list(Commit.objects.filter(repository=trained).values_list("pk", flat=True))
    commits_predict(repository_id=trained.pk, commit_ids=commit_ids)
    riskiest = CommitRiskPrediction.objects.filter(commit__repository=trained).order_by("-probability").first()
    # Thresholds are per repository; make exactly the riskiest commit "high" for this test.
    CommitRiskPrediction.objects.exclude(pk=riskiest.pk).update(risk_level="low")
    CommitRiskPrediction.objects.filter(pk=riskiest.pk).update(risk_level="high")
    assert high_risk_commits_notify(repository_id=trained.pk, commit_ids=commit_ids) == 1
    assert high_risk_commits_notify(repository_id=trained.pk, commit_ids=commit_ids) == 0
    assert riskiest.commit.sha[:10] in mail.outbox[0].subject
    assert "Riskier than " in mail.outbox[0].body and " lines" in mail.outbox[0].body


def test_following_through_the_api_is_audited_and_scoped(api_repo, alice, charlie, globex):
    response = key_client(alice, "write").put(
        f"/api/v1/repositories/{api_repo.pk}/follow", {"notification_settings": {"push": True}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["notification_settings"]["push"] is True
    assert RepositoryFollow.objects.filter(user=alice, repository=api_repo).exists()
    assert AuditLog.objects.filter(action="repository.follow", user=alice).exists()
    assert key_client(charlie, "write").put(f"/api/v1/repositories/{api_repo.pk}/follow").status_code == 404


def test_a_read_key_cannot_follow(api_repo, alice):
    assert key_client(alice, "read").put(f"/api/v1/repositories/{api_repo.pk}/follow").status_code == 403


def test_unfollowing_through_the_api(api_repo, alice):
    repository_follow(user=alice, repository=api_repo)
    assert key_client(alice, "write").delete(f"/api/v1/repositories/{api_repo.pk}/follow").status_code == 204
    assert not RepositoryFollow.objects.exists()


def test_jobs_are_started_and_listed_through_the_api(api_repo, alice, django_capture_on_commit_callbacks):
    client = key_client(alice, "write")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/repositories/{api_repo.pk}/jobs", {"type": "insights"}, format="json")
    assert response.status_code == 201
    jobs = client.get(f"/api/v1/repositories/{api_repo.pk}/jobs").json()
    assert [(job["type"], job["status"]) for job in jobs] == [("insights", "completed")]
    bad = client.post(f"/api/v1/repositories/{api_repo.pk}/jobs", {"type": "mine-bitcoin"}, format="json")
    assert bad.status_code == 400
