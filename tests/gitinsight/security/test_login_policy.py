"""Who may sign in with a password, and how often one may try. A maintainer who signs in with
GitHub gets no local password (it would go around GitHub's two-factor and SSO) unless an
operator allows it; the admin and allauth logins stop a run of wrong passwords per address and
per username, with a sentence, not a stack trace."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gitinsight.models import Membership, User
from gitinsight.security.auth_adapters import AccountAdapter
from tests.gitinsight.fake_github_oauth import sign_in_with_github

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-local-password-1"


@pytest.fixture
def octocat_browser(client, fake_github, acme) -> Client:
    """octocat, a member of acme, signed in with GitHub."""
    sign_in_with_github(client, fake_github)
    Membership.objects.create(organization=acme, user=User.objects.get(username="octocat"))
    return client


def admin_login(client: Client, username: str, password: str, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


# --- local passwords ------------------------------------------------------------------------

def test_a_github_user_cannot_set_a_local_password(octocat_browser):
    page = octocat_browser.get("/accounts/password/set/")
    response = octocat_browser.post("/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert page.status_code == response.status_code == 403
    assert "GitHub" in response.content.decode() and "Traceback" not in response.content.decode()
    assert not User.objects.get(username="octocat").has_usable_password()


def test_a_github_user_cannot_change_a_local_password_either(octocat_browser):
    octocat = User.objects.get(username="octocat")
    octocat.set_password("set-before-this-was-refused-1")
    octocat.save()
    octocat_browser.force_login(octocat)  # a new password ends the sessions of the old one
    response = octocat_browser.post("/accounts/password/change/", {
        "oldpassword": "set-before-this-was-refused-1", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })

    assert response.status_code == 403
    assert User.objects.get(username="octocat").check_password("set-before-this-was-refused-1")


def test_a_github_user_with_a_local_password_cannot_sign_in_with_it(octocat_browser):
    """A password set before the refusal above (or by any other way) does not open /admin/login/."""
    octocat = User.objects.get(username="octocat")
    octocat.set_password(NEW_PASSWORD)
    octocat.save()
    octocat_browser.logout()

    response = admin_login(octocat_browser, "octocat", NEW_PASSWORD)

    assert response.status_code == 200
    assert "signs in with GitHub" in response.content.decode()
    assert not signed_in(octocat_browser)


def test_the_allauth_login_takes_no_password_at_all(octocat_browser):
    """Its form has no password field here (no signup fields ask for one), so a password posted
    to it signs nobody in; /admin/login/ is the one door for passwords."""
    octocat = User.objects.get(username="octocat")
    octocat.set_password(NEW_PASSWORD)
    octocat.save()
    octocat_browser.logout()

    page = octocat_browser.get("/accounts/login/")
    octocat_browser.post("/accounts/login/", {"login": "octocat", "password": NEW_PASSWORD})

    assert 'type="password"' not in page.content.decode()
    assert not signed_in(octocat_browser)


def test_an_operator_may_allow_local_passwords(octocat_browser, settings):
    settings.ALLOW_LOCAL_PASSWORDS = True
    response = octocat_browser.post("/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    octocat_browser.logout()

    assert admin_login(octocat_browser, "octocat", NEW_PASSWORD).status_code == 302
    assert signed_in(octocat_browser)


def test_operators_keep_their_local_passwords(client, db):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    assert admin_login(client, "ops", "a-long-password-1").status_code == 302


# --- rate limits ----------------------------------------------------------------------------

def test_twenty_wrong_passwords_in_a_row_stop_the_admin_login_for_that_username(client, db):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    for attempt in range(20):
        admin_login(client, "ops", f"guess-{attempt}")

    response = admin_login(client, "ops", "a-long-password-1")

    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-ins" in text and "Traceback" not in text
    assert not signed_in(client)
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert admin_login(elsewhere, "ops", "a-long-password-1").status_code == 429  # the username is locked


def test_one_address_trying_many_usernames_is_stopped(client, db, settings):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    for attempt in range(settings.LOGIN_FAILURES_PER_IP):
        admin_login(client, f"guess-{attempt}", "password")

    assert admin_login(client, "ops", "a-long-password-1").status_code == 429
    assert admin_login(Client(REMOTE_ADDR="10.9.8.7"), "ops", "a-long-password-1").status_code == 302


def test_a_few_typos_do_not_lock_anyone_out(client, db):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    for attempt in range(3):
        admin_login(client, "ops", f"typo-{attempt}")
    assert admin_login(client, "ops", "a-long-password-1").status_code == 302


def test_allauth_sign_ins_count_the_same_failures(client, db, rf):
    """Should allauth's login take passwords one day, its adapter asks the same counts first."""
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    for attempt in range(20):
        admin_login(client, "ops", f"guess-{attempt}")
    request = rf.post("/accounts/login/")

    with pytest.raises(ValidationError, match="Too many failed sign-ins for ops"):
        AccountAdapter(request).pre_authenticate(request, username="ops", password="a-long-password-1")
