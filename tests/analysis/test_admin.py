import pytest
from django.urls import reverse

from analysis.models import ModelVersion
from analysis.services.models import model_train
from analysis.services.predictions import commits_predict
from gitinsight.models import AuditLog, User
from ingestion.models import Commit


@pytest.fixture
def admin_client(client, db):
    root = User.objects.create_superuser(username="root", password="root-password", email="root@example.org")
    client.force_login(root)
    client.user = root
    return client


def test_the_risky_commit_list_shows_scores_and_evidence(trained, admin_client):
    ids = list(Commit.objects.filter(repository=trained, is_merge=False).values_list("id", flat=True))
    commits_predict(repository_id=trained.pk, commit_ids=ids)

    response = admin_client.get(reverse("admin:analysis_commitriskprediction_changelist") + "?risk_level__exact=low")

    assert response.status_code == 200
    assert "acme/demo" in response.content.decode()


def test_a_model_version_page_shows_monitoring_and_risk_per_month(trained, admin_client):
    version = ModelVersion.objects.get(repository=trained)
    commits_predict(repository_id=trained.pk, commit_ids=list(Commit.objects.values_list("id", flat=True)))

    page = admin_client.get(reverse("admin:analysis_modelversion_change", args=[version.pk])).content.decode()

    assert "realised precision" in page and "2020-" in page


def test_a_model_version_page_says_which_model_is_in_use_and_why(demo, admin_client):
    commits_predict(repository_id=demo.pk, commit_ids=list(Commit.objects.values_list("id", flat=True)))
    version = ModelVersion.objects.get(repository=demo)

    listing = admin_client.get(reverse("admin:analysis_modelversion_changelist")).content.decode()
    page = admin_client.get(reverse("admin:analysis_modelversion_change", args=[version.pk])).content.decode()

    assert "The global model" in listing
    assert "Why this model" in page and "fewer than the 10 a model of its own needs" in page


def test_the_risky_commit_list_explains_each_score_in_sentences(demo, admin_client):
    commits_predict(repository_id=demo.pk, commit_ids=list(Commit.objects.values_list("id", flat=True)))

    page = admin_client.get(reverse("admin:analysis_commitriskprediction_changelist")).content.decode()

    assert "Riskier than " in page and "of this repository&#x27;s commits" in page and " lines" in page


def test_a_maintainer_promotes_a_model_version_from_the_admin(trained, admin_client):
    newer = model_train(repository_id=trained.pk).model_version
    assert not newer.is_active

    admin_client.post(reverse("admin:analysis_modelversion_changelist"),
                      {"action": "promote", "_selected_action": [newer.pk]})

    newer.refresh_from_db()
    assert newer.is_active
    assert ModelVersion.objects.filter(repository=trained, is_active=True).count() == 1
    assert AuditLog.objects.filter(action="risk_model.promote", user=admin_client.user,
                                   resource_id=str(newer.pk)).exists()


@pytest.mark.parametrize("model", ["pullrequestriskprediction", "trainingexample", "buginducinglink"])
def test_every_risk_list_opens(trained, admin_client, model):
    assert admin_client.get(reverse(f"admin:analysis_{model}_changelist")).status_code == 200
