import pytest

from gitinsight.models import User
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_signs_in_and_reaches_the_workspace(page, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"APPS": [{"client_id": "Iv1.client", "secret": "s", "key": ""}]}}
    User.objects.create_superuser(username="ops", password="a-long-password-1")

    page.goto("/admin/login/")
    assert page.get_by_role("button", name="Sign in with GitHub").is_visible()
    screenshot(page, "admin-login")

    page.fill("#id_username", "ops")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Maintainers' workspace" in page.content()
    screenshot(page, "admin-index")
