"""Roles mean something, in the admin and the API alike. bob, a plain member of acme, reads and
gives feedback; dora, an admin of acme, also changes configuration, models, jobs and deliveries;
alice, its owner, also manages its members and their keys. The "plain member" tests replay what
a review did as bob (a maintainer who signed in with GitHub) and find it refused, nothing changed."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from analysis.models import ModelVersion
from gitinsight.models import ApiKey, AuditLog, Membership, Organization, User
from gitinsight.services.api_keys import api_key_create
from gitinsight.services.maintainers import maintainer_update_from_github
from ingestion.models import PullRequest, Repository, WebhookDelivery
from tests.conftest import key_client
from triage.failures.models.root_causes import RootCauseExample
from triage.models import AnalysisRun, CandidateEdge, ConfigSnapshot, Feedback
from workspace.models import AnalysisJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def dora(acme) -> User:
    user = User.objects.create_user(username="dora", password="dora-password")
    Membership.objects.create(organization=acme, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def rocket(acme) -> Repository:
    return Repository.objects.create(organization=acme, owner="acme", name="rocket", full_name="acme/rocket")


@pytest.fixture
def versions(rocket) -> tuple[ModelVersion, ModelVersion]:
    active = ModelVersion.objects.create(repository=rocket, version=1, feature_version=1, model_bytes=b"",
                                         is_active=True)
    newer = ModelVersion.objects.create(repository=rocket, version=2, feature_version=1, model_bytes=b"")
    return active, newer


@pytest.fixture
def failed_delivery(rocket) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        delivery_id="failed-1", event="ping", payload_sha256="0" * 64, payload={"zen": "Keep it simple."},
        repository=rocket, status=WebhookDelivery.Status.FAILED, error="database was down",
    )


@pytest.fixture
def example(rocket) -> RootCauseExample:
    return RootCauseExample.objects.create(repository=rocket, check_name="tests", start_line=2, end_line=2,
                                           text="error: boom", first="error: boom", last="error: boom")


@pytest.fixture
def edge(rocket) -> CandidateEdge:
    ours = PullRequest.objects.create(repository=rocket, github_id=1, number=1, title="Fix it", head_sha="a" * 40)
    theirs = PullRequest.objects.create(repository=rocket, github_id=2, number=2, title="Fix it too",
                                        head_sha="b" * 40)
    run = AnalysisRun.objects.create(repository=rocket, pull_request=ours, head_sha=ours.head_sha, signature_version=1,
                                     algorithm_version=1, config_version=1, status="DONE")
    return CandidateEdge.objects.create(analysis_run=run, repository=rocket, pull_request_a=ours,
                                        head_sha_a=ours.head_sha, pull_request_b=theirs, head_sha_b=theirs.head_sha,
                                        rank=1, category="SAME_CHANGE", final_score=0.95,
                                        evidence_json={"paths": ["src/app.py"]})


def signed_in(user: User) -> Client:
    """A browser of a maintainer who came through GitHub, as the review's attacker did."""
    maintainer_update_from_github(user=user, profile={"id": 9000 + user.pk})
    client = Client()
    client.force_login(user)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(model, pk) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def refusal(response) -> str:
    text = response.content.decode()
    assert "Traceback" not in text
    return text


MONITORING_FORM = {
    "default_branch": "main", "monitoring_status": "suspended", "failure_count": 0, "analysis_status": "pending",
    "is_active": "on", "settings": "{}", "metadata": "{}", "description": "",
}


# --- a plain member, replayed -------------------------------------------------------------

def test_a_plain_member_cannot_promote_a_model_in_the_admin(bob, versions):
    _, newer = versions
    response = signed_in(bob).post(changelist(ModelVersion), {"action": "promote", ACTION_CHECKBOX_NAME: [newer.pk]})

    assert response.status_code == 403
    assert "Promoting models in acme is for its admins and owners; you are a member." in refusal(response)
    newer.refresh_from_db()
    assert not newer.is_active
    assert not AuditLog.objects.filter(action="risk_model.promote").exists()


def test_a_plain_member_cannot_edit_monitoring_in_the_admin(bob, rocket):
    client = signed_in(bob)
    page = client.get(change(Repository, rocket.pk))
    response = client.post(change(Repository, rocket.pk), MONITORING_FORM)

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # shown, read only
    assert response.status_code == 403 and "admin" in refusal(response)
    rocket.refresh_from_db()
    assert rocket.monitoring_status == Repository.MonitoringStatus.ACTIVE


def test_a_plain_member_cannot_reprocess_a_delivery_in_the_admin(bob, failed_delivery):
    response = signed_in(bob).post(changelist(WebhookDelivery),
                                   {"action": "reprocess", ACTION_CHECKBOX_NAME: [failed_delivery.pk]})

    assert response.status_code == 403 and "admin" in refusal(response)
    failed_delivery.refresh_from_db()
    assert (failed_delivery.status, failed_delivery.attempts) == (WebhookDelivery.Status.FAILED, 0)
    assert not AuditLog.objects.filter(action="webhook_delivery.reprocess").exists()


def test_a_plain_member_cannot_delete_a_root_cause_example_in_the_admin(bob, example):
    url = reverse("admin:triage_rootcauseexample_delete", args=[example.pk])
    response = signed_in(bob).post(url, {"post": "yes"})

    assert response.status_code == 403
    assert RootCauseExample.objects.filter(pk=example.pk).exists()


def test_a_plain_member_cannot_delete_a_root_cause_example_through_the_api(bob, example):
    response = key_client(bob, "read", "write").delete(f"/api/v1/triage/root-causes/{example.pk}")

    assert response.status_code == 403
    message = response.json()["error"]["message"]
    assert "admin" in message and "acme" in message
    assert RootCauseExample.objects.filter(pk=example.pk).exists()
    assert not AuditLog.objects.filter(action__contains="root_cause", user=bob).exists()


def test_a_plain_member_cannot_retrain_a_model_through_the_api(bob, rocket):
    response = key_client(bob, "read", "write").post(f"/api/v1/repositories/{rocket.pk}/jobs", {"type": "train"},
                                                     format="json")

    assert response.status_code == 403 and "admin" in response.json()["error"]["message"]
    assert not AnalysisJob.objects.exists()


def test_a_plain_member_cannot_start_a_job_in_the_admin(bob, rocket):
    response = signed_in(bob).post(reverse("admin:workspace_analysisjob_add"),
                                   {"repository": rocket.pk, "type": "train", "options": "{}"})

    assert response.status_code == 403 and "admin" in refusal(response)
    assert not AnalysisJob.objects.exists()


def test_a_plain_member_cannot_change_the_triage_configuration(bob, rocket):
    response = signed_in(bob).post(reverse("admin:triage_configsnapshot_add"), {
        "config_version": 4242, "repository": rocket.pk, "classification_rules_yaml": "{}",
        "thresholds_yaml": "same_change: 0.01", "is_active": "on",
    })

    assert response.status_code == 403
    assert not ConfigSnapshot.objects.filter(repository=rocket).exists()


def test_a_plain_member_cannot_connect_a_repository(bob, acme):
    response = key_client(bob, "read", "write").post("/api/v1/repositories",
                                                     {"full_name": "acme/other", "organization": acme.pk},
                                                     format="json")

    assert response.status_code == 403 and "admin" in response.json()["error"]["message"]
    assert not Repository.objects.filter(full_name="acme/other").exists()


# --- what a plain member does ---------------------------------------------------------------

def test_a_plain_member_reads_the_workspace(bob, rocket, versions, failed_delivery, example):
    client = signed_in(bob)
    for model in (Repository, ModelVersion, WebhookDelivery, RootCauseExample):
        page = client.get(changelist(model))
        assert page.status_code == 200, model
    assert key_client(bob, "read").get(f"/api/v1/triage/root-causes/{example.pk}").status_code == 200


def test_a_plain_member_confirms_a_duplicate_verdict_in_the_admin_and_through_the_api(bob, edge):
    admin_page = signed_in(bob).post(changelist(CandidateEdge),
                                     {"action": "confirm_verdict", ACTION_CHECKBOX_NAME: [edge.pk]})
    api = key_client(bob, "read", "write").post(f"/api/v1/triage/candidates/{edge.pk}/feedback",
                                                {"decision": "DUPLICATE"}, format="json")

    assert admin_page.status_code == 302 and api.status_code == 201
    assert Feedback.objects.filter(edge=edge, actor=bob).count() == 2


def test_a_plain_member_does_not_see_the_actions_of_admins(bob, versions, failed_delivery):
    client = signed_in(bob)
    assert 'value="promote"' not in client.get(changelist(ModelVersion)).content.decode()
    assert 'value="reprocess"' not in client.get(changelist(WebhookDelivery)).content.decode()


# --- an admin -------------------------------------------------------------------------------

def test_an_admin_promotes_a_model_in_the_admin(dora, versions):
    _, newer = versions
    response = signed_in(dora).post(changelist(ModelVersion), {"action": "promote", ACTION_CHECKBOX_NAME: [newer.pk]})

    assert response.status_code == 302
    newer.refresh_from_db()
    assert newer.is_active
    assert AuditLog.objects.get(action="risk_model.promote").user == dora


def test_an_admin_edits_monitoring_and_reprocesses_a_delivery(dora, rocket, failed_delivery):
    client = signed_in(dora)
    edited = client.post(change(Repository, rocket.pk), MONITORING_FORM)
    reprocessed = client.post(changelist(WebhookDelivery),
                              {"action": "reprocess", ACTION_CHECKBOX_NAME: [failed_delivery.pk]})

    assert edited.status_code == reprocessed.status_code == 302
    rocket.refresh_from_db()
    assert rocket.monitoring_status == Repository.MonitoringStatus.SUSPENDED
    assert AuditLog.objects.filter(action="webhook_delivery.reprocess", user=dora).exists()


def test_an_admin_deletes_a_root_cause_example_in_the_admin_and_through_the_api(dora, rocket, example):
    second = RootCauseExample.objects.create(repository=rocket, check_name="lint", start_line=1, end_line=1,
                                             text="E501", first="E501", last="E501")
    page = signed_in(dora).post(reverse("admin:triage_rootcauseexample_delete", args=[example.pk]), {"post": "yes"})
    api = key_client(dora, "read", "write").delete(f"/api/v1/triage/root-causes/{second.pk}")

    assert page.status_code == 302 and api.status_code == 204
    assert not RootCauseExample.objects.exists()


def test_an_admin_of_one_organization_is_a_member_elsewhere(dora, bob, globex, versions):
    """Roles are per organization: dora administers acme, and is only a member of globex."""
    Membership.objects.create(organization=globex, user=dora, role=Membership.Role.MEMBER)
    theirs = Repository.objects.create(organization=globex, owner="globex", name="vault", full_name="globex/vault")
    job = key_client(dora, "read", "write").post(f"/api/v1/repositories/{theirs.pk}/jobs", {"type": "train"},
                                                 format="json")
    candidate = ModelVersion.objects.create(repository=theirs, version=2, feature_version=1, model_bytes=b"")
    promote = signed_in(dora).post(changelist(ModelVersion),
                                   {"action": "promote", ACTION_CHECKBOX_NAME: [candidate.pk]})

    assert job.status_code == 403 and "globex" in job.json()["error"]["message"]
    assert promote.status_code == 403
    candidate.refresh_from_db()
    assert not candidate.is_active


def test_an_admin_cannot_manage_members(dora, bob, acme):
    response = signed_in(dora).post(change(Organization, acme.pk), membership_form(acme, {bob: "owner"}))

    assert response.status_code == 403
    assert "Managing members in acme is for its owners; you are an admin." in refusal(response)
    assert Membership.objects.get(user=bob).role == Membership.Role.MEMBER


# --- an owner -------------------------------------------------------------------------------

def membership_form(organization: Organization, roles: dict[User, str], *, new: dict[str, str] | None = None) -> dict:
    """The organization's change form: every membership row, with `roles` changed, and new rows."""
    rows = list(organization.memberships.order_by("pk").select_related("user"))
    data = {"memberships-TOTAL_FORMS": len(rows) + len(new or {}), "memberships-INITIAL_FORMS": len(rows),
            "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000}
    for index, row in enumerate(rows):
        data |= {f"memberships-{index}-id": row.pk, f"memberships-{index}-organization": organization.pk,
                 f"memberships-{index}-user": row.user.username,
                 f"memberships-{index}-role": roles.get(row.user, row.role)}
    for index, (username, role) in enumerate((new or {}).items(), start=len(rows)):
        data |= {f"memberships-{index}-organization": organization.pk, f"memberships-{index}-user": username,
                 f"memberships-{index}-role": role}
    return data


def test_an_owner_adds_a_member_by_their_github_login_and_changes_roles(alice, bob, charlie, acme):
    response = signed_in(alice).post(change(Organization, acme.pk),
                                     membership_form(acme, {bob: "admin"}, new={"charlie": "member"}))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.get(organization=acme, user=bob).role == Membership.Role.ADMIN
    assert Membership.objects.filter(organization=acme, user=charlie, role=Membership.Role.MEMBER).exists()
    assert AuditLog.objects.filter(action="admin.change", resource_type="organization", user=alice).exists()


def test_a_plain_member_cannot_make_himself_owner(bob, acme):
    response = signed_in(bob).post(change(Organization, acme.pk), membership_form(acme, {bob: "owner"}))

    assert response.status_code == 403
    assert Membership.objects.get(user=bob).role == Membership.Role.MEMBER


def test_an_owner_revokes_a_members_key_and_an_admin_cannot(alice, bob, dora):
    bobs_key = api_key_create(user=bob, name="bob's laptop", permissions=["read"]).api_key
    by_dora = signed_in(dora).post(changelist(ApiKey), {"action": "revoke_keys", ACTION_CHECKBOX_NAME: [bobs_key.pk]})
    bobs_key.refresh_from_db()
    assert bobs_key.is_active and by_dora.status_code in (302, 403)

    listing = signed_in(alice).get(changelist(ApiKey))
    by_alice = signed_in(alice).post(changelist(ApiKey),
                                     {"action": "revoke_keys", ACTION_CHECKBOX_NAME: [bobs_key.pk]})

    assert "bob&#x27;s laptop" in listing.content.decode() or "bob's laptop" in listing.content.decode()
    assert by_alice.status_code == 302
    bobs_key.refresh_from_db()
    assert not bobs_key.is_active
    assert AuditLog.objects.get(action="api_key.revoke").user == alice


def test_an_owner_sees_no_keys_of_people_outside_her_organizations(alice, acme, charlie, globex):
    api_key_create(user=charlie, name="charlie's key", permissions=["read"])
    listing = signed_in(alice).get(changelist(ApiKey)).content.decode()
    assert "charlie" not in listing
