"""bench_recovery: rows written through the application before a moment come back from a
recovery to that moment, rows written after it do not."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.heavy
@pytest.mark.django_db(transaction=True)
def test_a_recovery_to_a_moment_loses_nothing_before_it_and_keeps_nothing_after():
    out = StringIO()
    call_command("bench_recovery", rows_before=20, rows_after=20, database=connection.settings_dict["NAME"],
                 stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (result["rows_expected"], result["rows_restored"], result["lost"], result["extra"]) == (40, 40, 0, 0)
