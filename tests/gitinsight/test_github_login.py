from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from gitinsight.models import AuditLog, Membership, Organization, User
from tests.gitinsight.fake_github_oauth import sign_in_with_github

pytestmark = pytest.mark.django_db


def test_the_admin_login_page_offers_github(client, fake_github):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in with GitHub" in response.content
    assert b'action="/accounts/github/login/' in response.content


def test_the_admin_login_page_says_when_github_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {}}
    response = client.get("/admin/login/")
    assert b"Sign in with GitHub is not configured" in response.content


def test_signing_in_with_github_creates_a_maintainer_from_the_profile(client, fake_github):
    response = sign_in_with_github(client, fake_github)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    user = User.objects.get(github_id=583231)
    assert (user.username, user.name, user.location) == ("octocat", "The Octocat", "San Francisco")
    assert AuditLog.objects.filter(user=user, action="auth.login", details__method="github").exists()
    assert ("POST", "/login/oauth/access_token") in fake_github.requests


def test_a_new_maintainer_waits_for_an_owner_to_add_them(client, fake_github, acme):
    sign_in_with_github(client, fake_github)
    user = User.objects.get(github_id=583231)
    waiting = client.get("/admin/", follow=True)

    assert not user.is_staff
    assert "An owner of your organization has to add octocat" in waiting.content.decode()

    Membership.objects.create(organization=acme, user=user, role=Membership.Role.MEMBER)

    assert client.get("/admin/").status_code == 200
    assert user.groups.filter(name="maintainers").exists()


def test_a_github_login_does_not_give_back_staff_an_operator_revoked(client, fake_github, acme):
    sign_in_with_github(client, fake_github)
    octocat = User.objects.get(github_id=583231)
    Membership.objects.create(organization=acme, user=octocat, role=Membership.Role.MEMBER)
    octocat.refresh_from_db()
    assert octocat.is_staff

    operator = Client()
    operator.force_login(User.objects.create_superuser(username="ops", password="a-long-password-1"))
    url = reverse("admin:gitinsight_user_change", args=[octocat.pk])
    form = user_change_form(operator.get(url))
    del form["is_staff"]  # the operator unticks "staff status"
    saved = operator.post(url, form)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    octocat.refresh_from_db()
    assert not octocat.is_staff

    client.logout()
    sign_in_with_github(client, fake_github)

    octocat.refresh_from_db()
    assert not octocat.is_staff
    assert client.get("/admin/").status_code == 302
    Membership.objects.create(organization=Organization.objects.create(login="initech"), user=octocat)
    octocat.refresh_from_db()
    assert not octocat.is_staff  # nor does a new membership


def user_change_form(page) -> dict:
    """The user change form as the page shows it, ready to post back."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, datetime):
            data[f"{name}_0"], data[f"{name}_1"] = f"{value:%Y-%m-%d}", f"{value:%H:%M:%S}"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = "" if value is None else value
    return {name: value for name, value in data.items() if value != ""}


def test_a_wrong_code_does_not_sign_anyone_in(client, fake_github):
    response = sign_in_with_github(client, fake_github, code="stolen")
    assert response.status_code == 401  # allauth's "login failed" page, not a stack trace
    assert b"Login Failure" in response.content
    assert not User.objects.filter(github_id=583231).exists()
    assert client.get("/admin/").status_code == 302


def test_signing_in_twice_reuses_the_same_user(client, fake_github):
    sign_in_with_github(client, fake_github)
    client.logout()
    sign_in_with_github(client, fake_github)
    assert User.objects.filter(github_id=583231).count() == 1


def test_an_operator_can_still_sign_in_with_a_password(client, db):
    User.objects.create_superuser(username="ops", password="a-long-password-1")
    response = client.post("/admin/login/", {"username": "ops", "password": "a-long-password-1", "next": "/admin/"})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="auth.login", details__method="password").exists()
