from triage.failures.core.rootcause import MAX_WINDOW_LINE_CHARS, locate_root_cause, normalise_line, rank_root_cause

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


PYTEST_SHORT_SUMMARY_LOG = """\
$ pytest -x -rfE tests/test_sync.py
tests/test_sync.py::TestSync::test_pull FAILED [12.5s] [100%]

=================================== FAILURES ===================================
______________________________ TestSync.test_pull ______________________________
Traceback (most recent call last):
  File "/app/tests/test_sync.py", line 40, in test_pull
    self.client.pull(timeout=10)
  File "/app/sync/client.py", line 88, in pull
    raise TimeoutError("remote did not answer")
TimeoutError: remote did not answer
----------------------------- Captured stderr call -----------------------------
W0730 10:07:12 client.py:80] retrying pull
=========================== short test summary info ============================
FAILED [12.5s] tests/test_sync.py::TestSync::test_pull - TimeoutError: remote did not answer
!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!!!!!!!!!!!!!!!!!
============================== 1 failed in 12.61s ==============================
Got exit code 1
Command took >15min, returning 124
The command "pytest -x -rfE tests/test_sync.py" exited with 124.
"""


def test_a_pytest_short_summary_line_with_its_reason_outranks_the_report_header_and_the_wrapper():
    top = rank_root_cause(PYTEST_SHORT_SUMMARY_LOG)[0]
    assert top.anchor == 15
    assert top.rule == "pytest_failed_reason"


def test_a_pytest_report_header_still_wins_when_there_is_no_short_summary():
    report = PYTEST_SHORT_SUMMARY_LOG.split("\n")[:14]
    log = "\n".join([*report, "Got exit code 1", 'The command "pytest" exited with 1.'])
    assert rank_root_cause(log)[0].anchor == 5  # the header: the traceback is its report's body


RERUN_LOG = """\
=========================== short test summary info ============================
FAILED [0.38s] dynamo/test_repro.py::ReproTests::test_vars_traced - NameError: name 'cell' is not defined
=================== 1 failed, 1107 deselected, 2 rerun in 1.66s ===================
Got exit code 1
FAILED CONSISTENTLY: test/dynamo/test_repro.py::ReproTests::test_vars_traced
Test failed consistently, continuing with the rest of the tests due to continue-through-error being set
collected 2261 items / 796 deselected / 1465 selected
dynamo/test_repro.py::ReproTests::test_list PASSED [0.1s] [ 50%]
dynamo/test_repro.py::ReproTests::test_dict PASSED [0.1s] [100%]
##[error]Process completed with exit code 1.
"""


def test_a_rerun_wrappers_final_verdict_outranks_the_report_of_one_attempt_of_the_same_test():
    top = rank_root_cause(RERUN_LOG)[0]
    assert top.anchor == 5
    assert top.rule == "rerun_verdict"


CHAINED_TRACEBACK_LOG = """\
subprocess.CalledProcessError: Command '['git', 'cherry-pick', '-x', 'f2c1404']' returned non-zero exit status 1.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/work/scripts/merge.py", line 2709, in <module>
    main()
  File "/work/scripts/gitutils.py", line 56, in _check_output
    raise RuntimeError(msg) from e
RuntimeError: Command `git cherry-pick -x f2c1404` returned non-zero exit code 1
```
Auto-merging src/backend.py
CONFLICT (content): Merge conflict in src/backend.py
Auto-merging src/process_group.py
Auto-merging src/init.cpp
Auto-merging src/nccl.hpp
error: could not apply f2c1404... Add collective timing
hint: After resolving the conflicts, mark them with
hint: "git add/rm <pathspec>", then run
hint: "git cherry-pick --continue".
hint: You can instead skip this commit with "git cherry-pick --skip".
hint: To abort and get back to the state before "git cherry-pick",
hint: run "git cherry-pick --abort".
hint: Disable this message with "git config set advice.mergeConflict false"
```
##[error]Process completed with exit code 1.
"""


def test_the_exception_that_ends_a_python_traceback_outranks_the_output_quoted_in_its_message():
    top = rank_root_cause(CHAINED_TRACEBACK_LOG)[0]
    assert top.anchor == 10
    assert top.rule == "py_exception"


def test_a_common_test_failure_in_a_helper_module_is_a_test_failure_header():
    log = (
        "$ make ct\n"
        "- - - - - - - - - - - - - - - - - - - - - - - - - -\n"
        "rabbit_ct_broker_helpers:rpc failed on line 1348\n"
        "Reason: {badrpc,timeout}\n"
        "- - - - - - - - - - - - - - - - - - - - - - - - - -\n"
        "Testing rabbitmq_server: *** FAILED test case 12 of 40 ***\n"
        "Testing rabbitmq_server: TEST COMPLETE, 39 ok, 1 failed of 40 test cases\n"
        "ERROR: ct failed while processing /home/travis/build/app: rebar_abort\n"
        'The command "make ct" exited with 2.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 3
    assert top.rule == "ct_case_failed"


def test_a_powershell_error_record_points_at_its_message_above_the_position_line():
    log = (
        "$ pwsh -File tools/ci.ps1\n"
        "Restoring packages...\n"
        "Execution of { dotnet restore } by build.psm1: line 519 failed with exit code 1\n"
        "At /home/travis/build/app/build.psm1:2038 char:17\n"
        "+                 throw $errorMessage\n"
        "+                 ~~~~~~~~~~~~~~~~~~~\n"
        "+ CategoryInfo          : OperationStopped: (Execution of { dotnet restore }...:String) [], RuntimeException\n"
        "+ FullyQualifiedErrorId : Execution of { dotnet restore } by build.psm1: line 519 failed with exit code 1\n"
        'The command "pwsh -File tools/ci.ps1" exited with 1.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 3
    assert top.start == 3 and top.end >= 6


def test_a_link_checkers_issue_list_is_the_cause_not_the_files_it_wrote():
    log = (
        "$ awesome_bot README.md --allow-dupe\n"
        "  33. [L3322] 200 https://example.com/book\n"
        "\n"
        "Issues :-(\n"
        "> Links \n"
        "  1. [L0153] 404 https://example.com/gone.png  \n"
        "> Dupes \n"
        "  None ✓\n"
        "\n"
        "Wrote results to ab-results-README.md.json\n"
        "Wrote markdown table results to ab-results-README.md-markdown-table.json\n"
        'The command "awesome_bot README.md --allow-dupe" exited with 1.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 5
    assert top.rule == "link_check_issues"


def test_a_parsers_error_with_its_position_outranks_the_scripts_closing_complaints():
    log = (
        "$ rake test\n"
        "ruby tests/yaml.rb\n"
        "(./es-es/guide.md): did not find expected ',' or ']' while parsing a flow sequence at line 5 column 7\n"
        "FAILURE!!! 1 files were unable to be parsed!\n"
        "Please check the YAML headers for the documents that failed!\n"
        "rake aborted!\n"
        "Failed 1 tests!!\n"
        'The command "rake test" exited with 1.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 3
    assert top.rule == "parse_error"


TAP_LOG = """\
$ npm test
TAP version 13
# passes a good component
ok 5 no warnings
not ok 6 no errors
  ---
    operator: notOk
    expected: false
    actual:   1
    at: Test.<anonymous> (/app/test/test-order.js:57:7)
  ...
not ok 7 no messages in results
  ---
    operator: deepEqual
    expected: |-
      []
    actual: |-
      [ { ruleId: 'no-multiple-empty-lines' } ]
  ...

1..7
# tests 7
# pass  5
# fail  2
The command "npm test" exited with 1.
"""


def test_the_first_tap_failure_points_at_its_yaml_diagnostic_even_when_its_name_sounds_harmless():
    top = rank_root_cause(TAP_LOG)[0]
    assert top.anchor == 7  # "operator: notOk" under "not ok 6 no errors"
    assert top.rule == "tap_not_ok"


def test_r_cmd_checks_failed_check_points_at_the_details_below_it():
    log = (
        "$ R CMD check pkg_1.0.tar.gz\n"
        "* checking package namespace information ... OK\n"
        "* checking package dependencies ... ERROR\n"
        "Package required but not available: 'lubridate'\n"
        "\n"
        "See the information on DESCRIPTION files in the chapter 'Creating R\n"
        "packages' of the 'Writing R Extensions' manual.\n"
        'The command "R CMD check pkg_1.0.tar.gz" exited with 1.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 4


def test_a_coloured_travis_retry_verdict_is_the_exit_of_the_failing_step():
    log = (
        "$ git clone --branch=topic https://github.com/org/app.git org/app\n"
        "fatal: Remote branch topic not found in upstream origin\n"
        '\x1b[31;1mThe command "git clone --branch=topic https://github.com/org/app.git" failed 3 times.\x1b[0m\n'
        "Checking GitHub status (https://status.github.com/api/last-message.json):\n"
        "parse error: Invalid numeric literal at line 1, column 10\n"
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 2


def test_composers_problem_list_points_at_the_reason_not_the_resolution_summary():
    log = (
        "$ composer update --prefer-lowest\n"
        "Loading composer repositories with package information\n"
        "Your requirements could not be resolved to an installable set of packages.\n"
        "\n"
        "  Problem 1\n"
        "    - The requested package acme/bridge 4.4@dev exists as acme/bridge[3.4.x-dev] but these are rejected.\n"
        "\n"
        'The command "composer update --prefer-lowest" exited with 2.\n'
    )
    top = rank_root_cause(log)[0]
    assert top.anchor == 6
    assert top.rule == "composer_problem"


def test_a_log_of_one_line_of_megabytes_is_analysed_from_the_start_of_that_line():
    json_dump = '{"key": "value", "n": 12345}, ' * 350_000
    raw = "$ run\n" + json_dump + "\nError: boom\n" + 'The command "run" exited with 1.\n'

    root_cause = locate_root_cause(raw)

    assert max(len(line) for line in root_cause.lines) <= MAX_WINDOW_LINE_CHARS
    assert root_cause.ranges[0].anchor == 3
