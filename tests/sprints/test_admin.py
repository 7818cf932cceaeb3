from django.urls import reverse

from gitinsight.models import User
from sprints.models import Recommendation
from sprints.services.forecasts import milestone_forecast_refresh


def _staff(client, user: User):
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_the_milestone_page_charts_burndown_burnup_and_distribution_with_a_sentence_each(client, milestone, alice):
    milestone_forecast_refresh(milestone.pk)
    response = _staff(client, alice).get(reverse("admin:sprints_milestone_forecast", args=[milestone.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<canvas data-gi-chart=") == 3  # drawn by the vendored Chart.js, served locally
    assert html.count('class="gi-chart-summary"') == 3
    for title in ("Burn-down", "Burn-up", "When it could be done"):
        assert f"<figcaption>{title}</figcaption>" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "cdn" not in html.lower()
    assert "Risks" in html and "Accept" in html


def test_the_page_refreshes_and_accepts_from_buttons(client, milestone, alice):
    admin = _staff(client, alice)
    url = reverse("admin:sprints_milestone_forecast", args=[milestone.pk])
    admin.post(url, {"refresh": "1"})
    recommendation = Recommendation.objects.filter(forecast__milestone=milestone).first()
    admin.post(url, {"accept": str(recommendation.pk)})
    recommendation.refresh_from_db()
    assert recommendation.accepted and recommendation.accepted_by == alice


def test_the_recommendation_admin_accepts_selected_rows(client, milestone, alice):
    milestone_forecast_refresh(milestone.pk)
    ids = list(Recommendation.objects.values_list("pk", flat=True))
    _staff(client, alice).post(
        reverse("admin:sprints_recommendation_changelist"), {"action": "accept", "_selected_action": ids}
    )
    assert Recommendation.objects.filter(accepted=True).count() == len(ids)
