from triage.checks.rootcause import locate_root_cause, normalise_line, rank_root_cause

PYTEST_TRAVIS_LOG = """\
$ pip install -e .
Successfully installed app-1.0
$ pytest
============================= test session starts ==============================
collected 3 items

tests/test_app.py ..F                                                    [100%]

=================================== FAILURES ===================================
_________________________________ test_login ___________________________________

    def test_login():
>       assert login("alice", "secret") is True
E       AssertionError: assert False is True
E        +  where False = login('alice', 'secret')

tests/test_app.py:12: AssertionError
=========================== 1 failed, 2 passed in 0.12s ===========================

The command "pytest" exited with 1.

Done. Your build exited with 1.
"""

GCC_GHA_LOG = """\
2024-05-01T10:00:00.0000000Z ##[group]Run make
2024-05-01T10:00:01.0000000Z gcc -c -o build/main.o src/main.c
2024-05-01T10:00:01.1000000Z src/main.c: In function 'main':
2024-05-01T10:00:01.2000000Z src/main.c:7:5: error: 'coutn' undeclared (first use in this function)
2024-05-01T10:00:01.3000000Z     7 |     coutn++;
2024-05-01T10:00:01.4000000Z       |     ^~~~~
2024-05-01T10:00:01.5000000Z make: *** [Makefile:4: build/main.o] Error 1
2024-05-01T10:00:01.6000000Z ##[error]Process completed with exit code 2.
"""


def test_it_puts_the_failing_test_report_first():
    top = rank_root_cause(PYTEST_TRAVIS_LOG)[0]
    lines = PYTEST_TRAVIS_LOG.split("\n")
    assert lines[top.anchor - 1].startswith(("____", "E  ", "tests/test_app.py:12"))
    assert top.start <= 14 <= top.end  # the AssertionError line
    assert 0 < top.confidence <= 1


def test_it_finds_the_compiler_error_not_the_make_wrapper():
    top = rank_root_cause(GCC_GHA_LOG)[0]
    assert top.anchor == 4
    assert top.rule == "cc_error"
    assert top.end >= 6  # the source line and caret under it belong to the error


CHECK_LOG = (
    "$ ./check.sh\n"
    "error: schema mismatch in users.json\n"
    "error: deprecated key 'legacy' ignored (3 times)\n"
    'The command "./check.sh" exited with 1.\n'
)


def test_it_drops_lines_that_also_appear_in_a_passing_run():
    assert rank_root_cause(CHECK_LOG)[0].anchor == 3  # alone, the last error before the exit wins
    passed = "$ ./check.sh\nerror: deprecated key 'legacy' ignored (12 times)\nall good\n"
    assert rank_root_cause(CHECK_LOG, passed_raw=passed)[0].anchor == 2


def test_it_shows_the_last_words_of_the_failing_command_when_nothing_matches():
    log = '$ ./deploy\nuploading bundle\nbundle rejected by the server\n\nThe command "./deploy" exited with 3.\n'
    top = rank_root_cause(log)[0]
    assert top.anchor == 3


def test_it_keeps_the_clean_window_to_show_the_lines():
    result = locate_root_cause(GCC_GHA_LOG)
    assert result.line(4) == "src/main.c:7:5: error: 'coutn' undeclared (first use in this function)"
    assert result.line(10_000) is None


def test_normalised_lines_ignore_numbers_hashes_and_paths():
    one = normalise_line("2024-01-01T10:00:00Z /home/ci/build/app/x.py:12 failed after 3.5s (deadbeefcafe)")
    two = normalise_line("2025-02-03T11:11:11Z /tmp/other/x.py:99 failed after 10s (0123456789ab)")
    assert one == two


def test_it_analyses_a_ten_megabyte_log_quickly():
    import time

    filler = "".join(f"2024-01-01T00:00:00.0000000Z [{i:07d}] compiling module_{i}.c ok\n" for i in range(160_000))
    log = filler + GCC_GHA_LOG
    assert len(log) > 10_000_000
    started = time.perf_counter()
    top = rank_root_cause(log)[0]
    elapsed = time.perf_counter() - started
    assert top.anchor == 160_000 + 4
    assert elapsed < 0.25  # budget 50 ms; slack for a shared, loaded test machine


DIRTY_CHECKOUT_LOG = """\
2024-05-01T10:00:00.0000000Z + git status --porcelain
2024-05-01T10:00:01.0000000Z + git_status='?? cmake/profiles/'
2024-05-01T10:00:01.1000000Z + echo 'Build left local git repository checkout dirty'
2024-05-01T10:00:01.2000000Z Build left local git repository checkout dirty
2024-05-01T10:00:01.3000000Z + echo 'git status --porcelain:'
2024-05-01T10:00:01.4000000Z git status --porcelain:
2024-05-01T10:00:01.5000000Z ?? cmake/profiles/
2024-05-01T10:00:01.6000000Z ##[error]Process completed with exit code 1.
"""

SIZE_LIMIT_LOG = """\
2024-05-01T10:00:00.0000000Z Checking the size of the pull request
2024-05-01T10:00:01.0000000Z Your PR is 3174 LOC which is more than the 2000 maximum
2024-05-01T10:00:01.1000000Z allowed within the repository. Please split it into smaller PRs.
2024-05-01T10:00:01.2000000Z ##[error]Process completed with exit code 1.
"""


def test_a_build_that_dirties_the_checkout_is_reported_by_the_message_not_the_echo_command():
    top = rank_root_cause(DIRTY_CHECKOUT_LOG)[0]
    assert top.anchor == 4
    assert top.rule == "dirty_checkout"


def test_a_change_over_a_size_limit_is_the_cause():
    top = rank_root_cause(SIZE_LIMIT_LOG)[0]
    assert top.anchor == 2
    assert top.rule == "over_limit"


RAKE_LOG = """\
$ bundle exec rake
rake aborted!
No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)
/home/travis/.rvm/gems/ruby-2.2.6/bin/ruby_executable_hooks:15:in `eval'
The command "bundle exec rake" exited with 1.
"""


def test_a_line_announcing_an_abort_points_at_the_reason_below_it():
    top = rank_root_cause(RAKE_LOG)[0]
    assert top.anchor == 3
    assert top.start == 2 and top.end >= 3


XCODE_LOG = """\
$ xcodebuild test -scheme App
Test Suite 'SessionTests' started
    ✗ testThatInvalidURLThrows, XCTAssertTrue failed
Executed 12 tests, with 1 failure (0 unexpected) in 0.5 (0.6) seconds
** TEST FAILED **
The command "xcodebuild test -scheme App" exited with 65.
"""

GHC_WERROR_LOG = """\
$ stack build --pedantic
src/Types.hs:40:1: error: [-Wunused-imports, -Werror=unused-imports]
    The import of 'Data.List' is redundant
Completed 2 action(s).
The command "stack build --pedantic" exited with 1.
"""


def test_the_failed_test_beats_the_runners_closing_verdict():
    top = rank_root_cause(XCODE_LOG)[0]
    assert top.anchor == 3


def test_an_error_promoted_by_werror_is_still_an_error():
    top = rank_root_cause(GHC_WERROR_LOG)[0]
    assert top.anchor == 2


MOCHA_LOG = """\
$ npm test
  parser
    ✓ parses numbers
    1) parses strings

  1 passing (12ms)
  1 failing

  1) parser
       parses strings:
     AssertionError: expected 'a' to equal 'b'
      at Context.<anonymous> (test/parser.js:9:12)

The command "npm test" exited with 1.
"""


def test_mocha_points_at_the_detailed_report_under_failing_not_the_inline_mark():
    top = rank_root_cause(MOCHA_LOG)[0]
    assert top.anchor == 9  # "1) parser" right under "1 failing", not line 4


def test_a_failure_about_to_be_retried_is_not_the_cause():
    log = (
        "$ ./fetch.sh\n"
        "Failed to download deps.tar.gz, retrying...\n"
        "Failed to download deps.tar.gz, retrying...\n"
        "fatal: could not read deps.tar.gz: checksum mismatch\n"
        'The command "./fetch.sh" exited with 1.\n'
    )
    assert rank_root_cause(log)[0].anchor == 4


def test_pytests_interrupt_banner_beats_the_wrappers_time_limit_notice():
    log = (
        "tests/test_ops.py::test_slow PASSED [ 89%]\n"
        "!!!!!!!!!!!!!!!!!!!! KeyboardInterrupt !!!!!!!!!!!!!!!!!!!!\n"
        "/lib/registry.py:142: KeyboardInterrupt\n"
        "(to show a full traceback on KeyboardInterrupt use --full-trace)\n"
        "Command took >30min, returning 124\n"
        "##[error]Process completed with exit code 124.\n"
    )
    assert rank_root_cause(log)[0].anchor == 2


def test_a_cargo_could_not_compile_summary_is_not_the_cause():
    log = (
        "$ cargo build\n"
        "error[E0425]: cannot find value `CURSOR` in this scope\n"
        "  --> src/cursor.rs:70:26\n"
        "\n"
        "error: Could not compile `terminal`.\n"
        'The command "cargo build" exited with 101.\n'
    )
    assert rank_root_cause(log)[0].anchor == 2


def test_xcprettys_closing_summary_location_is_the_cause():
    log = (
        "    ✗ testParsing, XCTAssertTrue failed\n"
        "\n"
        "Executed 12 tests, with 1 failure (0 unexpected) in 0.5 seconds\n"
        "\n"
        "ParserTests\n"
        "  testParsing, XCTAssertTrue failed\n"
        "  /Users/travis/build/app/Tests/ParserTests.swift:42\n"
        "\n"
        'The command "xcodebuild test" exited with 65.\n'
    )
    assert rank_root_cause(log)[0].anchor == 7


def test_a_summary_that_only_counts_problems_ranks_below_a_perl_die_message():
    log = (
        "$ prove -l t\n"
        "t/https.t ........ Connection error: Connect timeout at t/https.t line 17.\n"
        "Failed 1/1 subtests\n"
        "Files=2, Tests=1, 1 wallclock secs\n"
        "Result: FAIL, 1 failed\n"
        'The command "prove -l t" exited with 1.\n'
    )
    assert rank_root_cause(log)[0].anchor == 2
