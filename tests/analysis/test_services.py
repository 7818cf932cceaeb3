import pytest

from analysis.core.kamei import FEATURE_VERSION
from analysis.models import BugInducingLink, CommitRiskPrediction, ModelVersion, TrainingExample
from analysis.services.examples import CloneMissing, features_compute, labels_compute, labels_import
from analysis.services.models import model_promote, model_train
from analysis.services.predictions import commits_predict
from gitinsight.models import AuditLog
from ingestion.models import Commit


def test_it_stores_one_training_example_per_commit(demo):
    written = features_compute(repository_id=demo.pk)

    assert written == Commit.objects.filter(repository=demo, is_merge=False).count()
    example = TrainingExample.objects.filter(commit__repository=demo).first()
    assert example.feature_version == FEATURE_VERSION and example.label is None
    assert set(example.feature_vector) >= {"la", "ld", "lt", "ndev", "entropy"}


def test_szz_labels_the_inducing_commits_and_keeps_the_evidence(demo, history):
    _, inducing = history
    features_compute(repository_id=demo.pk)

    summary = labels_compute(repository_id=demo.pk)

    assert summary["risky"] == len(inducing)
    risky = set(TrainingExample.objects.filter(commit__repository=demo, label=1).values_list("commit__sha", flat=True))
    assert risky == set(inducing)
    link = BugInducingLink.objects.filter(repository=demo).first()
    assert link.lines and link.path.endswith(".py") and inducing[link.inducing_commit.sha] == link.fix_commit.sha


def test_young_commits_stay_unlabelled(demo):
    demo.settings = {"risk": {"maturity_days": 100_000}}
    demo.save()
    features_compute(repository_id=demo.pk)

    summary = labels_compute(repository_id=demo.pk)

    assert summary["clean"] == 0 and summary["unlabelled"] > 0
    assert not TrainingExample.objects.filter(commit__repository=demo, label=0).exists()


def test_imported_labels_replace_ours_and_survive_szz(demo):
    features_compute(repository_id=demo.pk)
    first = Commit.objects.filter(repository=demo).order_by("authored_at").first()

    labels_import(repository_id=demo.pk, labels={first.sha: 1})
    labels_compute(repository_id=demo.pk)

    example = TrainingExample.objects.get(commit=first)
    assert (example.label, example.label_source) == (1, "imported")


def test_szz_needs_a_clone(demo):
    demo.local_path = ""
    demo.save()

    with pytest.raises(CloneMissing):
        labels_compute(repository_id=demo.pk)


def test_the_first_model_is_promoted_and_audited(trained):
    version = ModelVersion.objects.get(repository=trained)

    assert version.is_active and version.version == 1
    assert version.metrics["auc"] > 0.5 and version.n_train > version.n_holdout > 0
    assert AuditLog.objects.filter(action="risk_model.promote", resource_id=str(version.pk)).exists()


def test_a_model_that_does_not_beat_the_active_one_stays_inactive(trained):
    outcome = model_train(repository_id=trained.pk)

    # Same examples, deterministic training: equal, not better, on the same holdout.
    assert not outcome.promoted and outcome.active_auc_on_holdout == outcome.model_version.metrics["auc"]
    assert ModelVersion.objects.get(repository=trained, is_active=True).version == 1


def test_a_repository_with_too_few_labelled_commits_is_scored_by_the_global_model_and_told_why(demo):
    features_compute(repository_id=demo.pk)

    outcome = model_train(repository_id=demo.pk)

    version = outcome.model_version
    assert outcome.promoted and version.is_active and version.algorithm == "global"
    assert version.selection_reason.startswith("This repository has 0 labelled commits, fewer than the 10")
    assert model_train(repository_id=demo.pk).model_version == version  # no second copy


def test_predictions_exist_from_the_first_ingested_commit_and_are_not_all_low(demo):
    commits = Commit.objects.filter(repository=demo, is_merge=False).order_by("authored_at")
    ids = list(commits.values_list("id", flat=True))

    assert commits_predict(repository_id=demo.pk, commit_ids=ids[:1]) == 1
    assert commits_predict(repository_id=demo.pk, commit_ids=ids) == len(ids) - 1

    predictions = CommitRiskPrediction.objects.filter(commit__repository=demo)
    assert {p.model_version.algorithm for p in predictions} == {"global"}
    assert predictions.exclude(risk_level="low").exists()
    riskiest = predictions.order_by("-probability").first()
    assert riskiest.percentile == 1.0 and riskiest.risk_level == "high"
    assert all(factor["reason"] for factor in riskiest.top_features)


def test_with_enough_labels_training_chooses_between_its_own_the_global_and_a_blend(trained):
    version = ModelVersion.objects.get(repository=trained, is_active=True)

    assert version.algorithm in {"xgboost", "global", "blend"}
    assert set(version.metrics["candidates"]) == {"xgboost", "global", "blend"}
    assert version.selection_reason.startswith("Chosen because ")
    assert version.selection_reason.endswith("It is the repository's first model, so it is active.")


def test_labels_carry_over_to_a_new_feature_version(demo):
    features_compute(repository_id=demo.pk)
    first = Commit.objects.filter(repository=demo).order_by("authored_at").first()
    labels_import(repository_id=demo.pk, labels={first.sha: 1})
    TrainingExample.objects.filter(commit__repository=demo).update(feature_version=FEATURE_VERSION - 1)

    features_compute(repository_id=demo.pk)

    example = TrainingExample.objects.get(commit=first, feature_version=FEATURE_VERSION)
    assert (example.label, example.label_source) == (1, "imported")


def test_predictions_carry_evidence_and_are_never_overwritten(trained, alice):
    ids = list(Commit.objects.filter(repository=trained, is_merge=False).values_list("id", flat=True))

    assert commits_predict(repository_id=trained.pk, commit_ids=ids) == len(ids)
    assert commits_predict(repository_id=trained.pk, commit_ids=ids) == 0
    prediction = CommitRiskPrediction.objects.filter(commit__repository=trained).order_by("-probability").first()
    assert prediction.risk_level in {"low", "medium", "high"} and len(prediction.top_features) == 5

    newer = model_train(repository_id=trained.pk).model_version
    model_promote(model_version=newer, by=alice, reason="test")
    commits_predict(repository_id=trained.pk, commit_ids=ids)

    assert CommitRiskPrediction.objects.filter(commit__repository=trained).count() == 2 * len(ids)
