"""A new head of a pull request is one task: its check run started, its risk and duplicates
analysed, then one edit with all of them; and the check run of a pull request it repeats is
edited to name it too, on a fake GitHub over real HTTP."""

import pytest
from django_q.models import Task

from ingestion.models import PullRequest
from ingestion.signals import pull_request_opened
from tests.triage.verdicts.fixtures import duplicates_done, pull_request
from triage.duplicates.models import AnalysisRun
from triage.report.selectors import pull_request_report
from triage.verdicts.models import PullRequestCheckRun
from triage.verdicts.services.heads import partners_check_runs_publish, pull_request_head_process
from triage.verdicts.services.publishing import check_run_publish

pytestmark = pytest.mark.django_db


def writes(github, check_run_id=None):
    return [(write.method, write.body.get("status")) for write in github.app.writes
            if check_run_id is None or write.check_run_id == check_run_id]


def summary(github, pr) -> str:
    row = PullRequestCheckRun.objects.get(pull_request=pr, head_sha=pr.head_sha)
    return github.app.check_run_get("acme/rocket", row.github_id)["output"]["summary"]


def test_an_opened_pull_request_is_one_task_that_starts_its_check_run_and_edits_it_once(
        github, rocket, check_runs_on, settings, django_capture_on_commit_callbacks):
    settings.TRIAGE_EMBEDDINGS = False
    pr = pull_request(rocket, 7)

    with django_capture_on_commit_callbacks(execute=True):
        pull_request_opened.send(sender=PullRequest, repository_id=rocket.pk, pull_request_id=pr.pk,
                                 head_sha=pr.head_sha)

    tasks = [func for func in Task.objects.values_list("func", flat=True) if func.startswith(("triage", "analysis"))]
    assert tasks == ["triage.verdicts.tasks.pull_request_head_task"]
    assert AnalysisRun.objects.filter(pull_request=pr, head_sha=pr.head_sha).exists()
    assert writes(github) == [("POST", "in_progress"), ("PATCH", "completed")]


def test_processing_a_head_twice_posts_nothing_more(github, rocket, check_runs_on, settings):
    settings.TRIAGE_EMBEDDINGS = False
    pr = pull_request(rocket, 7)
    pull_request_head_process(pull_request_id=pr.pk, head_sha=pr.head_sha)
    pull_request_head_process(pull_request_id=pr.pk, head_sha=pr.head_sha)

    assert writes(github) == [("POST", "in_progress"), ("PATCH", "completed")]


def test_a_new_head_supersedes_the_old_heads_check_run_in_the_same_task(github, rocket, check_runs_on, settings):
    settings.TRIAGE_EMBEDDINGS = False
    pr = pull_request(rocket, 7)
    old_head = pr.head_sha
    check_run_publish(pull_request_id=pr.pk, head_sha=old_head)
    PullRequest.objects.filter(pk=pr.pk).update(head_sha="c" * 40)

    pull_request_head_process(pull_request_id=pr.pk, head_sha="c" * 40, previous_head_sha=old_head)

    old = PullRequestCheckRun.objects.get(pull_request=pr, head_sha=old_head)
    new = PullRequestCheckRun.objects.get(pull_request=pr, head_sha="c" * 40)
    assert old.superseded_by == "c" * 40 and old.conclusion == "skipped"
    assert new.status == "completed" and new.github_id != old.github_id


def test_the_earlier_pull_request_of_a_pair_names_the_later_one_too(github, rocket, check_runs_on):
    earlier = pull_request(rocket, 3, title="Ignite the engine")
    duplicates_done(earlier)
    check_run_publish(pull_request_id=earlier.pk, head_sha=earlier.head_sha)
    assert "none found" in summary(github, earlier)
    later = pull_request(rocket, 8, head=3, title="Ignite the engine, again")

    run = duplicates_done(later, candidate=earlier)
    assert partners_check_runs_publish(run) == 1

    assert "The same change as [#8 Ignite the engine, again](https://github.com/acme/rocket/pull/8)" in (
        summary(github, earlier))
    edits = len(github.app.writes)
    assert partners_check_runs_publish(run) == 1  # again: nothing new to say, nothing posted
    assert len(github.app.writes) == edits


def test_a_pair_the_check_run_does_not_show_edits_nothing(github, rocket, check_runs_on):
    earlier = pull_request(rocket, 3)
    duplicates_done(earlier)
    check_run_publish(pull_request_id=earlier.pk, head_sha=earlier.head_sha)
    edits = len(github.app.writes)

    run = duplicates_done(pull_request(rocket, 8), candidate=earlier, category="RELATED", score=0.4)

    assert partners_check_runs_publish(run) == 0 and len(github.app.writes) == edits


def test_a_partner_whose_check_run_has_not_started_is_left_to_its_own_task(github, rocket, check_runs_on):
    earlier = pull_request(rocket, 3)
    run = duplicates_done(pull_request(rocket, 8), candidate=earlier)

    assert partners_check_runs_publish(run) == 0
    assert not PullRequestCheckRun.objects.filter(pull_request=earlier).exists() and github.app.writes == []


def test_the_report_names_pairs_found_from_either_side_once(rocket):
    earlier = pull_request(rocket, 3, title="Ignite the engine")
    later = pull_request(rocket, 8, title="Ignite the engine, again")
    other = pull_request(rocket, 9, title="Ignite faster")
    duplicates_done(later, candidate=earlier)
    duplicates_done(other, candidate=earlier, category="SAME_FEATURE", score=0.7)

    seen_from_earlier = pull_request_report(pull_request=earlier).duplicates
    assert [(item["number"], item["category"], item["found_by_other"]) for item in seen_from_earlier] == [
        (8, "SAME_CHANGE", True), (9, "SAME_FEATURE", True)]
    assert seen_from_earlier[0]["title"] == "Ignite the engine, again"

    duplicates_done(earlier, candidate=later, score=0.95)  # its own verdict of the pair comes first
    seen_again = pull_request_report(pull_request=earlier).duplicates
    assert [(item["number"], item["found_by_other"]) for item in seen_again] == [(8, False), (9, True)]


def test_the_report_ignores_pairs_from_an_older_head_of_the_other_pull_request(rocket):
    earlier = pull_request(rocket, 3)
    later = pull_request(rocket, 8)
    duplicates_done(later, candidate=earlier)
    PullRequest.objects.filter(pk=later.pk).update(head_sha="d" * 40)  # pushed again since

    assert pull_request_report(pull_request=earlier).duplicates == []


def test_a_partner_pushed_again_since_keeps_its_old_heads_check_run_as_it_was(github, rocket, check_runs_on):
    earlier = pull_request(rocket, 3)
    duplicates_done(earlier)
    check_run_publish(pull_request_id=earlier.pk, head_sha=earlier.head_sha)
    run = duplicates_done(pull_request(rocket, 8), candidate=earlier)
    PullRequest.objects.filter(pk=earlier.pk).update(head_sha="e" * 40)
    edits = len(github.app.writes)

    assert partners_check_runs_publish(run) == 0 and len(github.app.writes) == edits
