import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from analysis.models import CommitRiskPrediction, Insight
from gitinsight.models import User
from ingestion.models import CheckRun, Commit, Issue, Milestone, PullRequest, Repository, Review, WebhookDelivery
from sprints.models import ForecastResult
from triage.duplicates.models import CandidateEdge
from triage.failures.models.analyses import CheckFailureAnalysis
from workspace.inbox import attention_ranked
from workspace.models import AnalysisJob
from workspace.services.demo_pack import pack_deliveries

OWN = str(settings.BASE_DIR)


def counts() -> dict[str, int]:
    models = [Repository, Commit, PullRequest, Review, Issue, Milestone, CheckRun, WebhookDelivery,
              CheckFailureAnalysis, CandidateEdge, Insight, ForecastResult]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_shows_every_capability_and_a_second_run_adds_nothing(history, capsys):
    repo, _ = history
    demo = User.objects.create_superuser(username="demo", password="a-long-password-1")

    call_command("demo_prepare", "--repo", str(repo.path))

    own = Repository.objects.get(full_name="demo/gitinsight")
    other = Repository.objects.exclude(pk=own.pk).get()
    assert own.organization.login == other.organization.login == "demo"
    assert Commit.objects.filter(repository=own, source="git").count() > 50  # GitInsight's own history
    assert Commit.objects.filter(repository=other).exists()
    # the sample pack went through the webhook handlers, every delivery of it processed
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"PROCESSED"}
    assert WebhookDelivery.objects.count() == len(pack_deliveries())
    assert PullRequest.objects.filter(repository=own, state="open").count() == 7
    assert Review.objects.filter(pull_request__repository=own).exists()
    # duplicates: #102 is the same change as #101
    assert CandidateEdge.objects.filter(pull_request_a__number=102, pull_request_b__number=101,
                                        category="SAME_CHANGE").exists()
    # failed checks: the assertion is the pull request's doing, the download timeout is not
    tests_101 = CheckFailureAnalysis.objects.get(check_run__name="tests", pull_request__number=101)
    assert tests_101.category == "test_failure" and tests_101.attribution == "new"
    timeouts = CheckFailureAnalysis.objects.filter(check_run__name="tests", pull_request__number__in=[103, 105])
    assert {analysis.category for analysis in timeouts} <= {"dependency_install", "infrastructure"}
    # sprints: both milestones forecast, the one due in nine days at risk
    first_day = ForecastResult.objects.get(milestone__title="0.2: first day")
    assert first_day.status != "on_track"
    assert ForecastResult.objects.filter(milestone__title="0.3: teams").exists()
    # every job completed, or said in one sentence why not
    for job in AnalysisJob.objects.all():
        assert job.status == "completed" or (job.status == "failed" and "\n" not in job.error_message.strip())
    assert {"ingest_git", "train", "insights"} <= set(AnalysisJob.objects.filter(repository=other)
                                                       .values_list("type", flat=True))
    # whatever the history, training completes and every commit is scored (by the global model at first)
    trains = AnalysisJob.objects.filter(type="train")
    assert set(trains.values_list("repository", flat=True)) == {own.pk, other.pk}
    assert set(trains.values_list("status", flat=True)) == {"completed"}
    commits = Commit.objects.filter(repository__organization__login="demo", is_merge=False)
    scored = CommitRiskPrediction.objects.filter(commit__in=commits).values("commit").distinct()
    assert scored.count() == commits.count()
    kinds = {item.kind for item in attention_ranked(demo)}
    assert {"duplicate_verdict", "failed_check", "milestone_at_risk"} <= kinds
    assert "Demo data ready" in capsys.readouterr().out

    before, started = counts(), time.perf_counter()
    call_command("demo_prepare", "--repo", str(repo.path))
    assert counts() == before
    assert time.perf_counter() - started < 20
    assert "skipped" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_refuses_a_folder_that_is_not_a_clone(tmp_path):
    with pytest.raises(CommandError, match="not a git clone"):
        call_command("demo_prepare", "--repo", str(tmp_path))
