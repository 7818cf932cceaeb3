"""A maintainer's path through the workspace in a real browser: sign in, see what needs
attention on the dashboard, open a milestone's forecast with its charts, start a job and
watch its progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gitinsight.models import Membership, User
from ingestion.models import Milestone
from sprints.services.forecasts import milestone_forecast_refresh
from tests.browser.conftest import screenshot
from tests.sprints.conftest import milestone, repository  # noqa: F401  (fixtures)
from tests.triage.test_report import reported  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.fixture
def maintainer(acme) -> User:
    user = User.objects.create_superuser(username="maria", password="a-long-password-1", email="m@example.org")
    Membership.objects.create(organization=acme, user=user, role=Membership.Role.OWNER)
    return user


def test_the_dashboard_leads_to_an_at_risk_milestone_and_its_charts(page, maintainer, milestone):  # noqa: F811
    Milestone.objects.filter(pk=milestone.pk).update(due_on=timezone.now() + timedelta(days=1))
    milestone_forecast_refresh(milestone.pk)

    sign_in(page, "maria", "a-long-password-1")
    attention = page.locator("#attention")
    assert "acme/app" in attention.inner_text()
    screenshot(page, "dashboard")

    attention.get_by_role("link", name="v1.0").click()
    page.wait_for_url(f"**/milestone/{milestone.pk}/")
    assert page.locator("svg").count() >= 2  # burn-down, burn-up, distribution
    assert "Burn-down" in page.content()
    screenshot(page, "milestone-forecast")


def test_a_started_job_shows_its_progress_without_a_reload(page, maintainer, milestone):  # noqa: F811
    sign_in(page, "maria", "a-long-password-1")
    page.goto("/admin/workspace/analysisjob/add/")
    page.select_option("#id_repository", label="acme/app")
    page.select_option("#id_type", value="forecast")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/workspace/analysisjob/")
    bar = page.locator("[data-job-progress]").first
    bar.locator("text=completed").wait_for()
    assert "100%" in bar.inner_text()
    screenshot(page, "job-progress")


def test_a_pull_request_report_shows_risk_duplicates_and_the_failing_lines(page, maintainer, reported):  # noqa: F811
    sign_in(page, "maria", "a-long-password-1")
    page.goto("/admin/triage/triagequeueitem/")
    page.get_by_role("link", name="report").first.click()
    page.wait_for_url(f"**/{reported.pk}/report/")
    report = page.locator("#pull-request-report")
    assert "same change as #1" in report.inner_text()
    assert report.locator("mark").count() >= 1
    screenshot(page, "pull-request-report")
