import pytest
from django.core import mail

from tests.triage.duplicates.diffs import PYTHON_FIX
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.inbox import duplicate_verdicts_awaiting_feedback
from triage.duplicates.services.notifications import same_change_notify
from workspace.services.notifications import repository_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_run(acme):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile on zero inodes", day=1), PYTHON_FIX)
    return analyse(make_pull_request(repository, 2, "Handle st_ino == 0 in samefile", day=2), PYTHON_FIX)


def test_a_same_change_verdict_awaits_feedback_on_the_dashboard(duplicate_run, alice, charlie):
    items = duplicate_verdicts_awaiting_feedback(alice)
    assert [(item.title, item.severity) for item in items] == [("#2 vs #1: Same Change", "high")]
    assert duplicate_verdicts_awaiting_feedback(charlie) == []


def test_followers_hear_of_a_same_change_duplicate_once(duplicate_run, alice):
    repository_follow(user=alice, repository=duplicate_run.repository)
    assert same_change_notify(duplicate_run) == 1
    assert same_change_notify(duplicate_run) == 0
    assert mail.outbox[0].subject == "[acme/rocket] #2 makes the same change as #1"
