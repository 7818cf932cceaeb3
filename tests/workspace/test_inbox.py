import pytest

from workspace import inbox as attention
from workspace.inbox import AttentionItem, attention_for_user, attention_provider_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(attention, "_providers", {})


def test_items_are_grouped_by_repository_most_severe_first(providers, alice):
    attention_provider_register(
        "failed_check",
        "Failed check",
        lambda user: [
            AttentionItem("failed_check", "acme/api", "tests red on #4", "/x", severity="low"),
            AttentionItem("failed_check", "acme/api", "lint red on #5", "/y", severity="high"),
        ],
    )
    attention_provider_register(
        "milestone_at_risk", "Milestone", lambda user: [AttentionItem("milestone_at_risk", "acme/web", "v2", "/m")]
    )
    groups = attention_for_user(alice)
    assert list(groups) == ["acme/api", "acme/web"]
    assert [item.title for item in groups["acme/api"]] == ["lint red on #5", "tests red on #4"]


def test_the_admin_index_shows_the_items(providers, client, alice):
    alice.is_staff = True
    alice.save()
    item = AttentionItem("risky_pull_request", "acme/api", "#7 risky", "/r")
    attention_provider_register("risky_pull_request", "Risky PR", lambda user: [item])
    client.force_login(alice)
    response = client.get("/admin/")
    assert b"Needs your attention" in response.content
    assert b"#7 risky" in response.content
    assert b"Risky PR" in response.content
