import json
import tarfile

import pytest

from benchmarks.failures.root_causes import (
    BenchmarkDataError,
    LabelledLog,
    evaluate_case,
    excerpt_lines,
    history_analyser,
    load_cases,
    load_logchunks,
    load_marked,
    locate_chunk,
    parse_marked,
    repository_histories,
    run_benchmark,
    summarise,
    unpack_logchunks,
)
from tests.shared_data import CI_DATA, logchunks
from triage.failures.core.rootcause import LineRange


def test_it_maps_a_chunk_that_starts_mid_line_and_skips_blank_lines():
    log = "$ sbt test\n[info] compiling\n[error] Foo.scala:3: type mismatch\n\n[error]   found: Int\ndone\n"
    assert locate_chunk(log, "error] Foo.scala:3: type mismatch\n[error]   found") == frozenset({3, 4, 5})
    assert locate_chunk(log, "nothing like this") is None


def test_it_reads_both_marker_conventions():
    text, labelled = parse_marked("#=SOURCE=# https://ci/job/1\nstep one\n#=MATCH=# \u2039boom\u203a happened\nafter\n")
    assert text.split("\n") == ["step one", "boom happened", "after", ""]
    assert labelled == frozenset({2})
    text, labelled = parse_marked("a\nb is the cause\n#=MATCH=#\nc\n")
    assert text.split("\n")[:3] == ["a", "b is the cause", "c"]
    assert labelled == frozenset({2})


def test_it_scores_the_excerpt_line_by_line():
    case = LabelledLog(name="x", group="g", text="", labelled=frozenset({3, 4}))
    result = evaluate_case(case, lambda _: [LineRange(3, 6, 0.9, "cc_error", anchor=3)])
    assert (result.precision, result.recall, result.top1_hit) == (0.5, 1.0, True)
    assert summarise([result])["n"] == 1


def test_the_excerpt_is_capped_at_twenty_lines():
    ranges = [LineRange(1, 15, 0.9, "a", 1), LineRange(30, 40, 0.85, "b", 30), LineRange(50, 52, 0.2, "c", 50)]
    assert len(excerpt_lines(ranges)) == 20


def test_it_reads_case_folders(tmp_path):
    case = tmp_path / "case-1"
    case.mkdir()
    (case / "failed.log").write_text("$ make\nmain.c:3:1: error: expected ';'\nThe command \"make\" exited with 2.\n")
    (case / "passed.log").write_text("$ make\nok\n")
    (case / "label.json").write_text(json.dumps({"start": 2, "end": 2}))
    cases = load_cases(tmp_path)
    assert cases[0].labelled == frozenset({2}) and cases[0].passed_text
    report = run_benchmark(kind="cases", directory=tmp_path)
    assert report["top1_hit"] == 1.0


def test_it_explains_a_case_folder_without_a_label(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "failed.log").write_text("x\n")
    with pytest.raises(BenchmarkDataError, match=r"label\.json"):
        load_cases(tmp_path)


@pytest.mark.slow
def test_it_finds_the_marked_line_in_most_real_pytorch_logs():
    folder = CI_DATA / "pytorch-log-fixtures" / "classify"
    if not folder.is_dir():
        pytest.skip(f"shared CI data not found at {folder}")
    results = [evaluate_case(case) for case in load_marked(folder)]
    summary = summarise(results)
    assert summary["n"] >= 40
    assert summary["top1_hit"] >= 0.7


@pytest.mark.slow
def test_it_locates_real_logchunks_failures(tmp_path):
    labels, logs = logchunks()
    cases, unmatched = load_logchunks(labels / "Python", logs)
    assert len(cases) >= 25 and len(unmatched) <= 3
    summary = summarise([evaluate_case(case) for case in cases[:30]])
    assert summary["top1_hit"] >= 0.5
    assert summary["f1"] >= 0.3


def test_each_log_is_compared_only_with_root_causes_confirmed_earlier_in_its_repository():
    def case(name: str, group: str, cause: str) -> LabelledLog:
        return LabelledLog(name=f"{group}/failed/{name}.log", group=group, text=f"$ run\n{cause}\ndone\n",
                           labelled=frozenset({2}))

    cases = [case("30", "r1", "third"), case("10", "r1", "first"), case("20", "r1", "second"), case("5", "r2", "x")]

    histories = repository_histories(cases)

    assert [e.first for e in histories["r1/failed/30.log"]] == ["second", "first"]  # newest first
    assert [e.first for e in histories["r1/failed/10.log"]] == []
    assert histories["r2/failed/5.log"] == []


def test_a_repository_history_lets_the_second_log_find_what_the_rules_miss():
    failed = "$ ./check.sh\nchecking {n} files\nstale lockfile: {n} packages differ\nsee docs\nfinished\n"
    first = LabelledLog("r/failed/1.log", "r", failed.format(n=3), frozenset({3}))
    second = LabelledLog("r/failed/2.log", "r", failed.format(n=9), frozenset({3}))

    result = evaluate_case(second, history_analyser(repository_histories([first, second])))

    assert result.top1_hit and result.precision == 1.0
    assert not evaluate_case(second).top1_hit


def test_logchunks_logs_are_unpacked_whole_even_after_an_interrupted_run(tmp_path):
    source = tmp_path / "source" / "Python" / "repo" / "failed"
    source.mkdir(parents=True)
    (source / "1.log").write_text("error: boom\n")
    archive = tmp_path / "logs.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(tmp_path / "source" / "Python", arcname="Python")
    target = tmp_path / "logs"
    (tmp_path / "logs.partial" / "Python").mkdir(parents=True)  # what an interrupted run left

    unpack_logchunks(archive, target)

    assert (target / "Python" / "repo" / "failed" / "1.log").read_text() == "error: boom\n"
    assert not (tmp_path / "logs.partial").exists()
    archive.unlink()
    unpack_logchunks(archive, target)  # already there: the archive is not needed
    assert (target / "Python" / "repo" / "failed" / "1.log").exists()
