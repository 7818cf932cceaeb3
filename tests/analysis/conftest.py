import pytest

from analysis.services.examples import features_compute, labels_compute
from analysis.services.models import model_train
from ingestion.models import Repository
from ingestion.services.git.ingest import clone_ingest
from tests.analysis.gitrepo import GitRepo, buggy_history

RISK_SETTINGS = {"risk": {"min_training_examples": 10, "maturity_days": 0, "holdout_share": 0.3}}


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> tuple[GitRepo, dict[str, str]]:
    """A git history where every third module is bug-inducing and later fixed."""
    return buggy_history(tmp_path_factory.mktemp("history") / "demo", modules=45)


@pytest.fixture
def demo(acme, history) -> Repository:
    """The history ingested as acme/demo, with settings small enough to train on."""
    repo, _ = history
    summary = clone_ingest(path=str(repo.path), full_name="acme/demo", announce_commits=False)
    repository = Repository.objects.get(pk=summary.repository_id)
    repository.settings = RISK_SETTINGS
    repository.save(update_fields=["settings"])
    return repository


@pytest.fixture
def trained(demo) -> Repository:
    features_compute(repository_id=demo.pk)
    labels_compute(repository_id=demo.pk)
    model_train(repository_id=demo.pk)
    return demo
