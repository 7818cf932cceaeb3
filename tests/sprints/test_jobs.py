"""The forecast job refreshes every open milestone of the repository and says, in a sentence,
which are at risk."""

import pytest
from django.utils import timezone

from ingestion.models import Milestone
from workspace.services.jobs import job_enqueue

pytestmark = pytest.mark.django_db


def test_the_forecast_job_names_the_milestones_at_risk_in_quotes(milestone, repository, alice,
                                                                 django_capture_on_commit_callbacks):
    Milestone.objects.filter(pk=milestone.pk).update(title="0.2: first day", due_on=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(repository=repository, type="forecast", by=alice)
    job.refresh_from_db()

    assert job.status == "completed"
    assert job.result["summary"] == "1 open milestone forecast; at risk: “0.2: first day”."
    assert (job.result["milestones"], job.result["at_risk"]) == (1, 1)
