import pytest

from analysis.core.insights.activity import contributor_activity, risk_trend
from analysis.core.insights.coupling import change_coupling
from analysis.core.insights.history import ChangeRecord
from analysis.core.insights.hotspots import hotspots
from analysis.core.insights.ownership import ownership
from analysis.models import Insight
from analysis.services.insights import insights_compute
from ingestion.models import Repository
from ingestion.services.git.ingest import clone_ingest
from tests.analysis.gitrepo import GitRepo

DAY = 86_400
JAN = 1_704_067_200  # 2024-01-01


def change(sha, author, day, files, *, fix=False, risk=None):
    return ChangeRecord(sha, author, JAN + day * DAY, fix, risk, tuple(files))


HISTORY = [
    change("a1", "ann", 0, [("src/core/engine.py", 120), ("src/core/engine_test.py", 40)]),
    change("a2", "ann", 1, [("src/core/engine.py", 30), ("src/core/engine_test.py", 10)], fix=True, risk=0.9),
    change("a3", "bob", 2, [("src/core/engine.py", 15), ("src/core/engine_test.py", 5)], fix=True, risk=0.8),
    change("a4", "ann", 40, [("src/core/engine.py", 10), ("src/core/engine_test.py", 4)], risk=0.7),
    change("b1", "bob", 41, [("docs/guide.md", 200)]),
    change("b2", "bob", 42, [("docs/guide.md", 20)]),
    change("b3", "cid", 43, [("docs/guide.md", 20)], risk=0.1),
]


def test_a_file_changed_often_and_fixed_often_is_the_top_hotspot():
    ranked = hotspots(HISTORY)
    assert ranked[0].path == "src/core/engine.py"
    assert (ranked[0].changes, ranked[0].fixes, ranked[0].fix_shas) == (4, 2, ("a2", "a3"))
    assert ranked[0].score > next(item.score for item in ranked if item.path == "docs/guide.md")


def test_a_directory_one_person_wrote_has_bus_factor_one():
    by_directory = {item.directory: item for item in ownership(HISTORY, min_lines=10)}
    assert by_directory["src/core"].bus_factor == 1
    assert by_directory["src/core"].top_authors[0][0] == "ann"
    assert by_directory["docs"].bus_factor == 1


def test_files_that_always_change_together_are_coupled():
    pairs = change_coupling(HISTORY, min_support=3)
    assert [(pair.first, pair.second, pair.support, pair.confidence) for pair in pairs] == [
        ("src/core/engine.py", "src/core/engine_test.py", 4, 1.0)
    ]


def test_activity_and_risk_are_summarised_per_month():
    assert contributor_activity(HISTORY) == [
        {"month": "2024-01", "commits": 3, "authors": 2, "new_authors": 2},
        {"month": "2024-02", "commits": 4, "authors": 3, "new_authors": 1},
    ]
    january = risk_trend(HISTORY)[0]
    assert (january["mean_risk"], january["fix_share"]) == (0.85, round(2 / 3, 4))


@pytest.fixture
def engine(acme, tmp_path) -> Repository:
    """A small real history: the engine and its test change together, twice to fix bugs."""
    repo = GitRepo(tmp_path / "engine")
    body = "".join(f"def run{n}(x):\n    return x + {n}\n" for n in range(30))
    for step, (message, author) in enumerate([
        ("Add the engine", "ann"), ("Fix crash in engine on empty input", "ann"),
        ("Speed up the engine", "bob"), ("Fix wrong result in engine", "ann"), ("Document the engine", "bob"),
    ]):
        body += f"# step {step}\n"
        repo.commit(message, author=author, files={"src/engine.py": body, "tests/test_engine.py": body})
    summary = clone_ingest(path=str(repo.path), full_name="acme/engine", announce_commits=False)
    return Repository.objects.get(pk=summary.repository_id)


@pytest.mark.django_db
def test_insights_are_computed_from_an_ingested_history_with_evidence(engine):
    insights = {insight.type: insight for insight in insights_compute(repository_id=engine.pk)}
    assert set(insights) == {
        "hotspots", "knowledge_concentration", "change_coupling", "contributor_activity", "risk_trend"
    }
    top = insights["hotspots"].data["items"][0]
    assert (top["changes"], top["fixes"]) == (5, 2)
    coupled = insights["change_coupling"].data["items"][0]
    assert (coupled["first"], coupled["second"], coupled["support"]) == ("src/engine.py", "tests/test_engine.py", 5)
    assert 0 < insights["hotspots"].confidence_score <= 1


@pytest.mark.django_db
def test_a_second_computation_is_a_new_generation(demo):
    insights_compute(repository_id=demo.pk)
    second = insights_compute(repository_id=demo.pk)
    latest = Insight.objects.filter(repository=demo).latest_generation()
    assert set(latest.values_list("pk", flat=True)) == {insight.pk for insight in second}
    assert Insight.objects.filter(repository=demo).count() == 2 * len(second)


@pytest.mark.django_db
def test_the_admin_shows_an_insight_with_its_chart(client, demo, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    trend = next(i for i in insights_compute(repository_id=demo.pk) if i.type == "contributor_activity")
    client.force_login(alice)
    page = client.get(f"/admin/analysis/insight/{trend.pk}/change/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"<table>" in page.content


@pytest.mark.django_db
def test_trending_lists_visible_repositories_by_stars_forks_and_recent_insights(engine, alice, charlie, globex):
    from analysis.selectors.insights import repositories_trending
    from analysis.services.stats import repository_stats_refresh

    Repository.objects.filter(pk=engine.pk).update(stars=5, forks=1)
    Repository.objects.create(organization=engine.organization, owner="acme", name="quiet",
                                      full_name="acme/quiet", stars=20)
    other = Repository.objects.create(organization=globex, owner="globex", name="x", full_name="globex/x", stars=999)
    insights_compute(repository_id=engine.pk)  # 5 insights this week: 5 + 1 + 50
    repository_stats_refresh()
    assert [(row.full_name, row.trending_score) for row in repositories_trending(user=alice)] == [
        ("acme/engine", 56), ("acme/quiet", 20)
    ]
    assert [row.repository_id for row in repositories_trending(user=charlie)] == [other.pk]


@pytest.mark.django_db
def test_repositories_are_searched_by_text_language_and_stars(acme, alice):
    from tests.conftest import key_client

    Repository.objects.create(organization=acme, owner="acme", name="parser", full_name="acme/parser",
                              description="A fast YAML parser", language="Rust", stars=300)
    Repository.objects.create(organization=acme, owner="acme", name="site", full_name="acme/site",
                              language="Rust", stars=3)
    found = key_client(alice, "read").get("/api/v1/repositories", {"q": "yaml", "language": "rust", "min_stars": 100})
    assert [repository["full_name"] for repository in found.json()["results"]] == ["acme/parser"]


@pytest.mark.django_db
def test_the_dashboard_draws_the_trends_of_a_repository_needing_attention(engine, client, alice, monkeypatch):
    from workspace import inbox as attention
    from workspace.inbox import AttentionItem

    insights_compute(repository_id=engine.pk)
    item = AttentionItem("failed_check", "acme/engine", "#3: tests failed", "/x")
    monkeypatch.setitem(attention._providers, "test", ("Failed check", lambda user: [item]))
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    page = client.get("/admin/").content.decode()
    assert "#3: tests failed" in page
    assert '<div class="gi-charts"><svg' in page
    assert "Risk and bug-fix share per month" in page
