"""A maintainer's first day on the demo's data, in a real browser at 1366x900: sign in, read
the inbox, then open what it points at, one page per capability: a milestone's forecast,
a duplicate verdict, a failed check with its failing lines, a pull request's report, a
commit and its risk, the risk model, the repository's overview, and a job's progress.
Each page is kept as a screenshot in artifacts/screenshots/."""

import pytest

from analysis.models import ModelVersion
from gitinsight.models import User
from ingestion.models import Commit, PullRequest, Repository
from tests.analysis.conftest import history  # noqa: F401  (fixture)
from tests.browser.conftest import screenshot
from workspace.services.demo import demo_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(history):  # noqa: F811
    """The demo: GitInsight's own history with the sample pack, and a buggy clone (acme's
    test history) whose risk model trains."""
    user = User.objects.create_superuser(username="demo", password="a-long-password-1")
    repo, _ = history
    demo_run(path=str(repo.path))
    return user


def sign_in(page) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def charts_drawn(page) -> int:
    page.wait_for_function("document.querySelectorAll('canvas[data-gi-chart]').length === 0 || "
                           "window.Chart !== undefined")
    return page.locator("canvas[data-gi-chart]").count()


def test_a_first_day_through_every_capability(page, demo_data):
    sign_in(page)
    inbox = page.locator("#attention")
    text = inbox.inner_text()
    assert "things to look at, most urgent first" in text
    for kind in ("Milestone at risk", "Duplicate awaiting feedback", "Failed check"):
        assert kind.lower() in text.lower(), kind
    screenshot(page, "01-inbox")

    inbox.get_by_role("link", name="0.2: first day").first.click()
    page.wait_for_url("**/forecastresult/milestone/*/")
    assert "chance" in page.locator("#content").inner_text()
    assert charts_drawn(page) >= 1
    screenshot(page, "02-milestone-forecast")

    page.goto("/admin/")
    inbox.get_by_role("link", name="#102 and #101: the same change").click()
    assert "#102 and #101: same change" in page.locator("#content").inner_text()
    screenshot(page, "03-duplicate-verdict")

    page.goto("/admin/")
    inbox.get_by_role("link", name="tests failed on #101").first.click()
    page.wait_for_url("**/checkfailureanalysis/*/change/")
    assert "AssertionError" in page.locator("#content").inner_text()
    screenshot(page, "04-failed-check")

    pull_request = PullRequest.objects.get(number=101)
    page.goto(f"/admin/triage/triagequeueitem/{pull_request.pk}/report/")
    assert "#101" in page.locator("#content").inner_text()
    screenshot(page, "05-pull-request-report")

    # the clone's own model (GitInsight's own history is scored by the global model)
    model = ModelVersion.objects.exclude(repository__full_name="demo/gitinsight").get(is_active=True)
    scored = Commit.objects.filter(repository=model.repository, risk_predictions__isnull=False) \
        .order_by("-risk_predictions__probability").first()
    page.goto(f"/admin/ingestion/commit/{scored.pk}/change/")
    assert "chance that this commit introduces a bug" in page.locator("#content").inner_text()
    screenshot(page, "06-commit-risk")

    page.goto("/admin/ingestion/commit/")
    screenshot(page, "07-commits")

    page.goto(f"/admin/analysis/modelversion/{model.pk}/change/")
    assert "Ranking quality" in page.locator("#content").inner_text()
    assert charts_drawn(page) >= 1
    screenshot(page, "08-risk-model")

    own = Repository.objects.get(full_name="demo/gitinsight")
    page.goto(f"/admin/ingestion/repository/{own.pk}/change/")
    overview = page.locator("#content").inner_text()
    assert "Latest analyses" in overview and "Pull requests" in overview
    screenshot(page, "09-repository-overview")

    page.goto("/admin/analysis/insight/")
    screenshot(page, "10-insights")

    page.goto("/admin/workspace/analysisjob/add/")
    page.select_option("#id_repository", label="demo/gitinsight")
    page.select_option("#id_type", value="forecast")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/workspace/analysisjob/")
    bar = page.locator("[data-job-progress]").first
    bar.locator("text=done").wait_for()
    screenshot(page, "11-job-progress")
