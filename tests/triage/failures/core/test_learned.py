"""Recognising, in a new log, a root cause the repository confirmed before."""

from __future__ import annotations

from triage.failures.core.learned import MIN_SCORE, ChunkExample, find_known_chunk, with_known_chunk
from triage.failures.core.rootcause import LineRange, locate_root_cause


def numbered(text: str):
    lines = text.split("\n")
    return lambda n: lines[n - 1] if 1 <= n <= len(lines) else None


MIGRATION_CHECK = """\
$ pip install -r requirements.txt
Successfully installed django-5.2.{patch}
$ ./scripts/check-migrations.sh
Checking migrations of {apps} apps
Migration {app}.{number:04d} is missing for model {model}
  hint: run ./manage.py makemigrations {app}
Checked {apps} apps in {seconds}s
ERROR: 1 check did not pass
The command "./scripts/check-migrations.sh" exited with 1.
"""


def migration_log(**values) -> str:
    defaults = {"patch": 3, "apps": 14, "app": "billing", "number": 42, "model": "Invoice.amount", "seconds": 2.1}
    return MIGRATION_CHECK.format(**{**defaults, **values})


def confirmed(log: str, start: int, end: int) -> ChunkExample:
    return ChunkExample.from_lines(numbered(log), start, end)


def test_an_example_keeps_the_shape_of_its_edges_and_neighbours_without_the_numbers():
    example = confirmed(migration_log(), 5, 6)

    assert example.first == "Migration billing.# is missing for model Invoice.amount"
    assert example.last == "hint: run ./manage.py makemigrations billing"
    assert example.before == "Checking migrations of # apps"
    assert example.after == "Checked # apps in #s"
    assert example.length == 2


def test_the_same_failure_is_found_in_a_later_log_with_other_names_and_numbers():
    example = confirmed(migration_log(), 5, 6)
    later = "$ git fetch --depth 50\n" * 40 + migration_log(app="shipping", number=7, model="Parcel.weight", apps=15)

    known = find_known_chunk(later, [example], locate_root_cause(later))

    assert known is not None and (known.start, known.end) == (45, 46)
    assert known.lines[45].startswith("Migration shipping.0007") and known.score >= MIN_SCORE
    assert known.example is example


def test_a_log_that_failed_another_way_is_left_to_the_rules():
    example = confirmed(migration_log(), 5, 6)
    other = "$ make\nmain.c:3:1: error: expected ';' before '}' token\nmake: *** [all] Error 1\n"

    assert find_known_chunk(other, [example], locate_root_cause(other)) is None


def test_a_failure_far_before_the_analysed_window_is_found_by_its_key_text():
    example = confirmed(migration_log(), 5, 6)
    check_output = "\n".join(migration_log(app="orders").split("\n")[:8])  # a step allowed to fail
    log = check_output + "\nprogress: building the docs" * 20_000 + '\nThe command "make docs" exited with 2.\n'
    root_cause = locate_root_cause(log)
    assert root_cause.first_line > 5  # the rules look only before the failing exit, far below

    known = find_known_chunk(log, [example], root_cause)

    assert known is not None and (known.start, known.end) == (5, 6)
    assert known.lines[5] == "Migration orders.0042 is missing for model Invoice.amount"


def test_of_two_examples_the_closer_resemblance_wins_and_a_tie_goes_to_the_most_recent():
    log = migration_log(app="shipping")
    exact, loose = confirmed(migration_log(), 5, 6), confirmed(migration_log(), 5, 5)
    assert find_known_chunk(log, [loose, exact], locate_root_cause(log)).example is exact

    again = ChunkExample(exact.first, exact.last, exact.before, exact.after, exact.length, source=2)
    older = ChunkExample(exact.first, exact.last, exact.before, exact.after, exact.length, source=1)
    assert find_known_chunk(log, [again, older], locate_root_cause(log)).example.source == 2


def test_a_recognised_chunk_ranks_first_and_the_rules_ranges_become_its_alternatives():
    log = migration_log()
    known = find_known_chunk(log, [confirmed(log, 5, 6)], locate_root_cause(log))
    rules = [LineRange(8, 8, 0.8, "error_line", 8)]

    ranked = with_known_chunk(rules, known)

    assert [r.rule for r in ranked] == ["known_failure", "error_line"]
    assert ranked[0].confidence == known.confidence
    assert ranked[1].confidence < 0.8 * (1 - known.confidence) + 1e-9
    assert with_known_chunk(rules, None) == rules


def test_an_example_needs_a_range_with_some_text():
    log = "a\n\n\nb\n"
    for start, end in ((0, 1), (3, 2), (2, 3)):
        try:
            confirmed(log, start, end)
        except ValueError:
            continue
        raise AssertionError(f"lines {start}-{end} were accepted")


def test_huge_lines_cost_no_more_than_their_start():
    example = confirmed(migration_log(), 5, 6)
    log = "x" * 5_000_000 + "\n" + migration_log(app="users")

    known = find_known_chunk(log, [example], locate_root_cause(log))

    assert known is not None and known.start == 6
