"""The named queries for "the latest row of each group", on the tables that keep a history."""

from datetime import timedelta

import pytest

from analysis.models import CommitRiskPrediction, PullRequestRiskPrediction
from ingestion.models import CheckRun, Milestone
from sprints.models import ForecastResult
from tests.tenant_fixtures import Tenant, tenant_create
from triage.duplicates.models import AnalysisRun, CompetingWork
from triage.failures.models import CheckFailureAnalysis

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> Tenant:
    return tenant_create("zqxalpha", number=7)


def again(row, **changes):
    """A copy of `row`, saved as a new row with `changes`."""
    copy = type(row).objects.get(pk=row.pk)
    copy.pk = None
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def test_the_latest_analysis_of_each_check_run_is_the_newest_row(a):
    older = a.row(CheckFailureAnalysis)
    newer = again(older, rules_version=f"{older.rules_version}-next")
    analyses = CheckFailureAnalysis.objects.filter(check_run=a.row(CheckRun))
    assert list(analyses.latest_per_check_run()) == [newer]
    assert analyses.newest_first().first() == newer


def test_the_latest_forecast_of_a_milestone_is_the_one_computed_for_the_latest_moment(a):
    forecast = a.row(ForecastResult)
    earlier = again(forecast, analyzed_at=forecast.analyzed_at - timedelta(days=1))  # a newer row, an older moment
    forecasts = ForecastResult.objects.filter(milestone=a.row(Milestone))
    assert earlier.pk > forecast.pk
    assert list(forecasts.latest_per_milestone()) == [forecast]
    assert forecasts.newest_first().first() == forecast


def test_the_latest_predictions_of_each_commit_and_pull_request(a):
    commit_prediction = a.row(CommitRiskPrediction)
    pull_request_prediction = a.row(PullRequestRiskPrediction)
    newer = again(pull_request_prediction, head_sha="f" * 40)  # the pull request moved on
    assert list(CommitRiskPrediction.objects.filter(commit=commit_prediction.commit).latest_per_commit()) == [
        commit_prediction]
    assert list(PullRequestRiskPrediction.objects.filter(
        pull_request=pull_request_prediction.pull_request).latest_per_pull_request()) == [newer]


def test_the_finished_runs_of_a_head(a):
    run = a.row(AnalysisRun)
    done = again(run, status=AnalysisRun.Status.DONE)
    pending = again(run, status=AnalysisRun.Status.PENDING)
    runs = AnalysisRun.objects.for_head(run.pull_request).exclude(pk=run.pk)  # its current head
    assert list(runs.finished()) == [done]
    assert runs.newest_first().first() == pending
    assert not AnalysisRun.objects.for_head(run.pull_request, "0" * 40).exists()


def test_the_competing_work_of_a_pull_request_on_either_side_of_the_pair_newest_first(a):
    work = a.row(CompetingWork)
    mirrored = again(work, pull_request=work.other_pull_request, other_pull_request=work.pull_request)
    superseded = again(work, kind=CompetingWork.Kind.SUPERSEDED_BY_COMMIT, other_pull_request=None, commit_sha="c" * 40)
    assert list(CompetingWork.objects.involving(work.other_pull_request).newest_first()) == [mirrored, work]
    assert list(CompetingWork.objects.involving(work.pull_request).newest_first()) == [superseded, mirrored, work]
