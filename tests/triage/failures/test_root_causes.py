"""Maintainers confirm or correct the root-cause lines of a failed check; the repository's
later logs are compared with them. Writes are audited and scoped to the organization."""

from __future__ import annotations

from gitinsight.models import AuditLog
from gitinsight.services.maintainers import maintainers_group
from tests.conftest import key_client
from tests.triage.failures.fixtures import make_check_run, make_pull_request
from triage.failures.models import RootCauseExample
from triage.failures.services.analyses import check_run_analyse

# A project script's own message: no rule knows it, so the analyser first points elsewhere.
SCRIPT_FAILURE = """\
2026-07-30T13:21:30.1000000Z ##[group]Run ./scripts/check-migrations.sh
2026-07-30T13:21:30.2000000Z Checking migrations of {apps} apps
2026-07-30T13:21:30.3000000Z Migration {app}.{migration} is missing for model {model}
2026-07-30T13:21:30.4000000Z   hint: run ./manage.py makemigrations {app}
2026-07-30T13:21:30.5000000Z Checked {apps} apps in 2.1s
2026-07-30T13:21:30.6000000Z ERROR: 1 check did not pass
2026-07-30T13:21:31.8060000Z ##[error]Process completed with exit code 1.
"""


def failed_check(fake, repository, pr_number: int, **values):
    pull_request = make_pull_request(repository, pr_number)
    check_run = make_check_run(repository, sha=pull_request.head_sha, name="migrations", pull_request=pull_request)
    fields = {"apps": 14, "app": "billing", "migration": "0042", "model": "Invoice.amount", **values}
    fake.job_logs[check_run.github_id] = SCRIPT_FAILURE.format(**fields)
    return check_run_analyse(check_run.pk)


def test_a_corrected_root_cause_is_found_first_in_the_next_failure_of_the_repository(fake_actions, rocket, alice):
    first = failed_check(fake_actions, rocket, 5)
    assert first.root_cause[0]["start"] != 3  # the rules chose another line
    client = key_client(alice, "read", "write")

    answer = client.post(f"/api/v1/triage/check-runs/{first.check_run_id}/root-cause", {"start": 3, "end": 4},
                         format="json")
    later = failed_check(fake_actions, rocket, 6, apps=15, app="shipping", migration="0007", model="Parcel.weight")

    assert answer.status_code == 201, answer.content
    example = RootCauseExample.objects.get(pk=answer.json()["id"])
    assert (example.start_line, example.end_line, example.corrected) == (3, 4, True)
    assert example.text.startswith("Migration billing.0042 is missing")
    assert later.root_cause[0]["rule"] == "known_failure"
    assert (later.root_cause[0]["start"], later.root_cause[0]["end"]) == (3, 4)
    assert later.root_cause[0]["example"] == example.pk
    assert AuditLog.objects.filter(action="triage.root_cause_confirm", resource_id=str(example.pk)).exists()


def test_confirming_lines_the_excerpt_does_not_show_is_refused_with_the_lines_it_shows(fake_actions, rocket, alice):
    analysis = failed_check(fake_actions, rocket, 5)
    url = f"/api/v1/triage/check-runs/{analysis.check_run_id}/root-cause"
    client = key_client(alice, "read", "write")

    outside = client.post(url, {"start": 400, "end": 401}, format="json")
    backwards = client.post(url, {"start": 4, "end": 3}, format="json")

    assert outside.status_code == 400 and "not in the stored excerpt" in outside.json()["error"]["details"]["lines"][0]
    assert backwards.status_code == 400
    assert not RootCauseExample.objects.exists()


def test_confirming_needs_write_scope_and_stays_in_the_organization(fake_actions, rocket, alice, charlie, globex):
    analysis = failed_check(fake_actions, rocket, 5)
    url = f"/api/v1/triage/check-runs/{analysis.check_run_id}/root-cause"

    assert key_client(alice, "read").post(url, {"start": 3, "end": 3}, format="json").status_code == 403
    assert key_client(charlie, "read", "write").post(url, {"start": 3, "end": 3}, format="json").status_code == 404
    assert not RootCauseExample.objects.exists()


def test_a_confirmed_root_cause_can_be_read_and_forgotten_audited(fake_actions, rocket, alice):
    analysis = failed_check(fake_actions, rocket, 5)
    client = key_client(alice, "read", "write")
    created = client.post(f"/api/v1/triage/check-runs/{analysis.check_run_id}/root-cause", {"start": 3, "end": 3},
                          format="json").json()

    shown = client.get(f"/api/v1/triage/root-causes/{created['id']}").json()
    deleted = client.delete(f"/api/v1/triage/root-causes/{created['id']}")

    assert shown["check_name"] == "migrations" and shown["start_line"] == 3
    assert deleted.status_code == 204 and not RootCauseExample.objects.exists()
    assert AuditLog.objects.filter(action="triage.root_cause_delete", resource_id=str(created["id"])).exists()


def test_the_admin_page_shows_the_excerpt_and_records_the_corrected_lines(fake_actions, rocket, alice, client):
    analysis = failed_check(fake_actions, rocket, 5)
    alice.is_staff = True
    alice.save()
    alice.groups.add(maintainers_group())
    client.force_login(alice)
    url = f"/admin/triage/checkfailureanalysis/{analysis.pk}/root-cause/"

    page = client.get(url).content.decode()
    refused = client.post(url, {"start": 900, "end": 901}).content.decode()
    accepted = client.post(url, {"start": 3, "end": 4})

    assert "Migration billing.0042 is missing" in page and 'name="start"' in page
    assert "not in the stored excerpt" in refused
    assert accepted.status_code == 302
    assert RootCauseExample.objects.get().created_by == alice
    change = client.get(f"/admin/triage/checkfailureanalysis/{analysis.pk}/change/").content.decode()
    assert "lines 3-4 by alice" in change
