
from sprints.services.forecasts import milestone_forecast_refresh
from tests.conftest import key_client


def test_it_returns_the_latest_forecast_with_risks_and_recommendations(milestone, alice):
    milestone_forecast_refresh(milestone.pk)
    latest = milestone_forecast_refresh(milestone.pk)
    response = key_client(alice, "read").get(f"/api/v1/milestones/{milestone.pk}/forecast")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == latest.pk and body["status"] in {"on_track", "at_risk", "off_track"}
    assert body["risks"] and body["recommendations"] and body["distribution"]


def test_it_hides_other_organizations_milestones(milestone, charlie, globex):
    milestone_forecast_refresh(milestone.pk)
    response = key_client(charlie, "read").get(f"/api/v1/milestones/{milestone.pk}/forecast")
    assert response.status_code == 404


def test_it_says_when_there_is_no_forecast_yet(milestone, bob):
    response = key_client(bob, "read").get(f"/api/v1/milestones/{milestone.pk}/forecast")
    assert response.status_code == 404


def test_a_member_accepts_a_recommendation_once(milestone, bob):
    recommendation = milestone_forecast_refresh(milestone.pk).recommendations.first()
    client = key_client(bob, "read", "write")
    response = client.post(f"/api/v1/recommendations/{recommendation.pk}/accept")
    assert response.status_code == 200 and response.json()["accepted_by"] == "bob"
    assert client.post(f"/api/v1/recommendations/{recommendation.pk}/accept").status_code == 409


def test_accepting_needs_the_write_scope_and_membership(milestone, bob, charlie, globex):
    recommendation = milestone_forecast_refresh(milestone.pk).recommendations.first()
    assert key_client(bob, "read").post(f"/api/v1/recommendations/{recommendation.pk}/accept").status_code == 403
    outsider = key_client(charlie, "read", "write")
    assert outsider.post(f"/api/v1/recommendations/{recommendation.pk}/accept").status_code == 404
