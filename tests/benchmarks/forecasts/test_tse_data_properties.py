"""Bad input, tried systematically: the TSE 2018 CSV exports are files from elsewhere.
Whatever their bytes, reading them returns sprints or raises TseDataError."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.forecasts.tse_data import TseDataError, load_sprints

ITERATION = (
    b"boardid,sprintid,name,vel_diff,planday,no_issue_starttime,vel_starttime,no_issue_added,vel_added,"
    b"no_issue_removed,vel_removed,no_issuetodo,vel_todo,no_issueinprogress,vel_inprogress,no_issuedone,vel_done,"
    b"no_admin,no_teammember\r\n"
    b"1,8,Q2'14 Sprint 1,0,9,0,0,0,0,0,0,0,0,0,0,0,0,3,1\r\n"
    b"1,12,Sprint 2, with a comma,3,13,0,0,0,0,0,0,0,0,0,0,0,0,3,1\r\n"
)
ISSUE = (
    b"boardid,sprintid,type,priority,no_comment,no_affectversion,no_fixversion,no_issuelink,no_blocking,"
    b"no_blockedby,no_fixversion_change,no_priority_change,no_des_change,gunning_fog\n"
    b"1,8,Task,Minor,1,0,0,0,0,0,1,0,0,medium\n"
    b"1,12,Bug,Major,0,1,0,1,0,0,0,0,0,hard\n"
)
fuzz = settings(max_examples=100, deadline=None)
noise = st.one_of(
    st.binary(max_size=20),
    st.sampled_from(
        [b"\x00", b",", b"\n", b'"', b"x", b"\r", b"1e999", b"nan", b"9" * 5000, b"\xff\xfe", b"\xef\xbb\xbf"]
    ),
)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for at, cut, inserted in edits:
        at %= len(data) + 1
        data = data[:at] + inserted + data[at + cut :]
    return data


edits = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=30), noise), max_size=4)


def load(iteration: bytes, issue: bytes | None) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "demo_iteration_0.csv").write_bytes(iteration)
        if issue is not None:
            (folder / "demo_issue_0.csv").write_bytes(issue)
        for sprint in load_sprints(folder, 0):
            assert isinstance(sprint.sprint_id, int) and isinstance(sprint.board_id, int)
            assert all(isinstance(value, float) for value in sprint.features.values())
            assert all(isinstance(value, float) for value in sprint.issues.values())
    except TseDataError:
        pass
    finally:
        shutil.rmtree(folder)


@fuzz
@given(iteration_edits=edits, issue_edits=edits)
def test_mutated_exports_load_or_raise_tse_data_error(iteration_edits, issue_edits):
    load(mutate(ITERATION, iteration_edits), mutate(ISSUE, issue_edits))


@fuzz
@given(iteration=st.binary(max_size=400), issue=st.one_of(st.none(), st.binary(max_size=400)))
def test_arbitrary_bytes_load_or_raise_tse_data_error(iteration, issue):
    load(iteration, issue)


def test_the_untouched_exports_load_two_sprints(tmp_path):
    (tmp_path / "demo_iteration_0.csv").write_bytes(ITERATION)
    (tmp_path / "demo_issue_0.csv").write_bytes(ISSUE)
    sprints = load_sprints(tmp_path, 0)
    assert [(s.sprint_id, s.name) for s in sprints] == [(8, "Q2'14 Sprint 1"), (12, "Sprint 2, with a comma")]
