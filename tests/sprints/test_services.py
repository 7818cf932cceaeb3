import pytest

from gitinsight.models import AuditLog
from ingestion import signals
from ingestion.models import CheckRun, Issue, Milestone
from sprints.models import ForecastResult, IssueDependency, Recommendation
from sprints.services.dependencies import issue_dependencies_sync
from sprints.services.forecasts import (
    RecommendationAlreadyAccepted,
    milestone_forecast_refresh,
    recommendation_accept,
)


def test_a_refresh_stores_a_full_forecast_with_risks_and_recommendations(milestone):
    CheckRun.objects.create(
        github_id=1,
        repository=milestone.repository,
        name="tests",
        head_sha="abc123",
        status="completed",
        conclusion="failure",
    )
    forecast = milestone_forecast_refresh(milestone.pk)

    assert 0 <= forecast.completion_probability <= 100 and forecast.status in ForecastResult.Status.values
    assert forecast.confidence_lower <= forecast.predicted_completion_date <= forecast.confidence_upper
    assert forecast.remaining_work == 15.0 and forecast.total_scope == 16.0  # #3 is sized 3
    assert forecast.burndown_actual[-1]["scope"] == 16.0 and forecast.distribution
    assert forecast.calibration["n_records"] == 9  # three past milestones backtested at 0, 30 and 50 %
    risk_types = set(forecast.risks.values_list("risk_type", flat=True))
    assert {"dependency_blocker", "unassigned_work", "stale_pr", "failing_ci", "review_bottleneck"} <= risk_types
    assert forecast.recommendations.filter(category="resource_allocation").exists()


def test_it_searches_which_issues_to_move_out_for_85_percent(milestone):
    forecast = milestone_forecast_refresh(milestone.pk)
    descope = forecast.evidence["descope"]
    if forecast.completion_probability >= 85:
        assert descope["issues"] == []
        return
    recommendation = forecast.recommendations.get(category="scope")
    assert 2 not in descope["issues"]  # #1 depends on #2: moving #2 out would strand #1
    assert descope["probability_after"] > descope["probability_before"]
    assert recommendation.affected_issues == descope["issues"]


def test_each_refresh_adds_a_forecast_and_keeps_the_old_ones(milestone):
    milestone_forecast_refresh(milestone.pk)
    milestone_forecast_refresh(milestone.pk)
    assert ForecastResult.objects.filter(milestone=milestone).count() == 2


def test_it_stores_dependencies_stated_in_issue_text_and_drops_retracted_ones(milestone):
    issue = Issue.objects.get(repository=milestone.repository, number=3)
    issue.body = "Blocked by #4\n- [ ] #5\nThis blocks #6. Depends on other/lib#7."
    issue.save()
    assert issue_dependencies_sync(issue=issue) == 3
    pairs = set(IssueDependency.objects.values_list("issue__number", "depends_on_issue__number", "dependency_type"))
    assert {(3, 4, "blocked_by"), (3, 5, "task_list"), (6, 3, "blocks")} <= pairs

    issue.body = "Blocked by #4"
    issue.save()
    issue_dependencies_sync(issue=issue)
    assert not IssueDependency.objects.filter(issue__number=3, depends_on_issue__number=5).exists()
    assert not IssueDependency.objects.filter(issue__number=6).exists()


def test_accepting_a_recommendation_records_who_when_and_an_audit_row(milestone, alice):
    forecast = milestone_forecast_refresh(milestone.pk)
    recommendation = forecast.recommendations.first()
    accepted = recommendation_accept(recommendation=recommendation, user=alice)
    assert accepted.accepted and accepted.accepted_by == alice and accepted.accepted_at is not None
    assert AuditLog.objects.filter(action="sprints.recommendation.accept", resource_id=str(accepted.pk)).exists()
    with pytest.raises(RecommendationAlreadyAccepted):
        recommendation_accept(recommendation=Recommendation.objects.get(pk=accepted.pk), user=alice)


def test_issue_and_milestone_changes_refresh_the_milestone_once_committed(
    milestone, django_capture_on_commit_callbacks
):
    issue = Issue.objects.get(repository=milestone.repository, number=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signals.issue_changed.send(sender=Issue, repository_id=milestone.repository_id, issue_id=issue.pk)
        signals.milestone_changed.send(
            sender=Milestone, repository_id=milestone.repository_id, milestone_id=milestone.pk
        )
        assert not ForecastResult.objects.exists()  # nothing runs before the commit
    # one refresh per signal, and triage's check of the issue's competing pull requests
    assert len(callbacks) == 3
    # Tests run django-q2 synchronously, so each enqueued task has already produced its forecast.
    assert ForecastResult.objects.filter(milestone=milestone).count() == 2


def test_a_change_to_an_issue_outside_any_milestone_refreshes_nothing(milestone, django_capture_on_commit_callbacks):
    loose = Issue.objects.filter(repository=milestone.repository, milestone__isnull=True).first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signals.issue_changed.send(sender=Issue, repository_id=milestone.repository_id, issue_id=loose.pk)
    # the only callback is triage's check of the issue's competing pull requests
    assert len(callbacks) == 1 and not ForecastResult.objects.exists()


def test_followers_hear_once_when_a_milestone_turns_at_risk(milestone, alice):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from workspace.services.notifications import repository_follow

    repository_follow(user=alice, repository=milestone.repository)
    Milestone.objects.filter(pk=milestone.pk).update(due_on=timezone.now() + timedelta(days=1))
    first = milestone_forecast_refresh(milestone.pk)
    milestone_forecast_refresh(milestone.pk)
    assert first.status != "on_track"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith(f"[{milestone.repository.full_name}] Milestone {milestone.title} is")


def test_a_milestone_at_risk_is_on_the_dashboard_of_its_organization_only(milestone, alice, charlie):
    from datetime import timedelta

    from django.utils import timezone

    from sprints.inbox import milestones_at_risk

    Milestone.objects.filter(pk=milestone.pk).update(due_on=timezone.now() + timedelta(days=1))
    milestone_forecast_refresh(milestone.pk)
    items = milestones_at_risk(alice)
    assert [item.url for item in items] == [f"/admin/sprints/forecastresult/milestone/{milestone.pk}/"]
    assert milestones_at_risk(charlie) == []
