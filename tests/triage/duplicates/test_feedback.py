import pytest
from django.urls import reverse

from gitinsight.models import AuditLog
from tests.conftest import key_client
from tests.triage.duplicates.diffs import PYTHON_FIX
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.admin import CandidateEdgeAdmin
from triage.duplicates.core.scoring import DEFAULT_CONFIG
from triage.duplicates.core.tuning import tune_from_feedback
from triage.duplicates.models import CandidateEdge, Cluster, Feedback
from triage.duplicates.selectors import labelled_pairs
from triage.duplicates.services.feedback import FeedbackRejected, feedback_confirm, feedback_record


@pytest.fixture
def edge(acme) -> CandidateEdge:
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile"), PYTHON_FIX)
    analyse(make_pull_request(repository, 2, "Fix samefile too", day=2), PYTHON_FIX)
    return CandidateEdge.objects.get()


def test_it_records_a_confirmation_as_the_matching_decision_and_audits_it(edge, alice):
    feedback = feedback_confirm(user=alice, edge=edge)
    assert feedback.decision == "DUPLICATE" and feedback.actor_login == "alice"
    assert feedback.candidate_pull_request_id == edge.pull_request_b_id
    assert AuditLog.objects.filter(action="triage.feedback", resource_id=str(edge.pk)).exists()


def test_it_refuses_an_unknown_decision(edge, alice):
    with pytest.raises(FeedbackRejected):
        feedback_record(user=alice, edge=edge, decision="MAYBE")


def test_the_api_lists_candidates_with_evidence_for_members(edge, bob):
    response = key_client(bob, "read").get(reverse("triage-pull-request-candidates", args=[edge.pull_request_a_id]))
    assert response.status_code == 200
    assert response.json()[0]["category"] == "SAME_CHANGE"
    assert response.json()[0]["evidence_json"]["production_paths"] == ["src/pkg/paths.py"]


def test_the_api_hides_candidates_from_other_organizations(edge, charlie, globex):
    client = key_client(charlie, "read", "write")
    assert client.get(reverse("triage-pull-request-candidates", args=[edge.pull_request_a_id])).status_code == 404
    response = client.post(reverse("triage-candidate-feedback", args=[edge.pk]), {"decision": "NOT_RELATED"})
    assert response.status_code == 404 and not Feedback.objects.exists()


def test_the_api_takes_feedback_from_a_member(edge, bob):
    response = key_client(bob, "read", "write").post(
        reverse("triage-candidate-feedback", args=[edge.pk]),
        {"decision": "NOT_RELATED", "notes": "different bug"},
        format="json",
    )
    assert response.status_code == 201
    assert Feedback.objects.get().notes == "different bug"


def test_the_admin_action_rejects_selected_verdicts(edge, alice, rf):
    from django.contrib.admin.sites import site
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.user = alice
    request.session = {}
    request._messages = FallbackStorage(request)
    CandidateEdgeAdmin(CandidateEdge, site).reject_verdict(request, CandidateEdge.objects.all())
    assert Feedback.objects.get().decision == "NOT_RELATED"


def test_the_triage_queue_and_cluster_pages_show_the_best_candidate_and_base(edge, client, django_user_model):
    admin_user = django_user_model.objects.create_superuser(username="root", password="root-password")
    client.force_login(admin_user)
    queue = client.get("/admin/triage/triagequeueitem/")
    assert queue.status_code == 200 and "the same change" in queue.content.decode()
    assert "SAME_CHANGE" not in queue.content.decode()
    run_page = client.get(f"/admin/triage/analysisrun/{edge.analysis_run_id}/change/")
    assert "src/pkg/paths.py" in run_page.content.decode()
    cluster_page = client.get(f"/admin/triage/cluster/{Cluster.objects.get().pk}/change/")
    assert cluster_page.status_code == 200 and "base suggested" in cluster_page.content.decode().lower()


def test_feedback_measures_same_change_precision_on_the_judged_edges(edge, alice):
    feedback_confirm(user=alice, edge=edge)
    tuning = tune_from_feedback(labelled_pairs(repository_id=edge.repository_id), DEFAULT_CONFIG)
    assert tuning.labelled_pairs == 1 and tuning.before["same_change_precision"] == 1.0
