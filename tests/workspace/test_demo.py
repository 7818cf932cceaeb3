import pytest
from django.core.management import call_command

from analysis.models import CommitRiskPrediction, Insight
from gitinsight.models import User
from ingestion.models import Commit
from workspace.models import AnalysisJob


@pytest.mark.django_db
def test_the_demo_ingests_a_clone_and_runs_every_analysis_as_a_job(history, capsys):
    repo, _ = history
    User.objects.create_superuser(username="demo", password="a-long-password-1")
    call_command("demo_prepare", "--repo", str(repo.path))
    jobs = dict(AnalysisJob.objects.values_list("type", "status"))
    assert jobs["ingest_git"] == "completed"
    assert jobs["insights"] == "completed"
    assert jobs["train"] == "completed" and "forecast" in jobs
    commits = Commit.objects.filter(repository__organization__login="demo", is_merge=False)
    assert commits.exists()
    # Whatever its history, the repository's commits are scored (by the global model at first).
    assert CommitRiskPrediction.objects.filter(commit__in=commits).count() == commits.count()
    assert Insight.objects.exists()
    output = capsys.readouterr().out
    assert "ingest_git  completed" in output
    assert "Demo data ready" in output


@pytest.mark.django_db
def test_the_demo_refuses_a_folder_that_is_not_a_clone(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a git clone"):
        call_command("demo_prepare", "--repo", str(tmp_path))
