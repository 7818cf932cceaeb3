from triage.duplicates.core.competing import (
    BOT,
    MEMBER,
    NEWCOMER,
    RACING,
    SAME_ISSUE,
    SUPERSEDED_BY_COMMIT,
    Claim,
    DirectCommit,
    Proposal,
    author_kind,
    claims_in,
    competing_pull_requests,
    superseded_in,
    superseding_commits,
)

DAY = 86400.0


def _proposal(number: int, day: float, author: str = "alice", kind: str = MEMBER, issues=(12,), **kwargs) -> Proposal:
    return Proposal(number=number, opened_at=day * DAY, author=author, author_kind=kind,
                    claims=[Claim(issue, "description") for issue in issues], **kwargs)


def test_it_reads_closing_words_and_issue_links_but_not_passing_mentions():
    text = "Fixes #12, closes gh-13 and resolves https://github.com/acme/rocket/issues/14.\nSee #15."
    assert [claim.issue for claim in claims_in(text, source="description")] == [12, 13, 14]


def test_a_number_in_a_title_is_a_claim():
    assert [claim.issue for claim in claims_in("Fix #40: crash on empty input", source="title", title=True)] == [40]


def test_it_knows_bots_and_newcomers_by_name_and_history():
    assert author_kind("dependabot[bot]", first_contribution=False) == BOT
    assert author_kind("meeseeksmachine", first_contribution=True) == BOT
    assert author_kind("zoe", first_contribution=True) == NEWCOMER
    assert author_kind("alice", first_contribution=False) == MEMBER


def test_two_pull_requests_for_one_issue_are_the_same_issue():
    verdicts = competing_pull_requests(_proposal(2, 5, author="bob"), [_proposal(1, 1)])
    assert [(v.kind, v.issue, v.other_pull_request) for v in verdicts] == [(SAME_ISSUE, 12, 1)]
    assert verdicts[0].evidence["other_claims"] == ["description"]


def test_a_newcomer_racing_an_open_pull_request_is_racing():
    verdicts = competing_pull_requests(_proposal(2, 5, author="zoe", kind=NEWCOMER), [_proposal(1, 1)])
    assert verdicts[0].kind == RACING and verdicts[0].evidence["other_open_when_opened"]


def test_it_is_not_racing_once_the_earlier_one_landed():
    earlier = _proposal(1, 1, landed_at=3 * DAY)
    assert competing_pull_requests(_proposal(2, 5, kind=BOT, author="bot"), [earlier])[0].kind == SAME_ISSUE


def test_a_reference_to_a_pull_request_is_no_issue():
    verdicts = competing_pull_requests(_proposal(3, 5, issues=(1,)), [_proposal(2, 1, issues=(1,))],
                                       pull_request_numbers={1, 2, 3})
    assert verdicts == []


def test_a_direct_commit_closing_the_claimed_issue_supersedes_an_open_pull_request():
    commit = DirectCommit(sha="a" * 40, committed_at=4 * DAY, subject="Fix the crash",
                          claims=claims_in("Fix the crash\n\nCloses #12", source="commit message"))
    verdicts = superseding_commits(_proposal(1, 1), [commit])
    assert [(v.kind, v.issue, v.commit_sha) for v in verdicts] == [(SUPERSEDED_BY_COMMIT, 12, "a" * 40)]


def test_a_commit_before_the_pull_request_or_after_it_landed_supersedes_nothing():
    commit = DirectCommit(sha="b" * 40, committed_at=9 * DAY, subject="x", claims=[Claim(12, "commit message")])
    assert superseding_commits(_proposal(1, 10), [commit]) == []
    assert superseding_commits(_proposal(1, 1, landed_at=5 * DAY), [commit]) == []


def test_a_commit_that_says_it_replaces_a_pull_request_supersedes_it():
    assert superseded_in("Rework the parser (supersedes #7, instead of #8)") == {7, 8}
    commit = DirectCommit(sha="c" * 40, committed_at=4 * DAY, subject="x", claims=[], supersedes={1})
    assert superseding_commits(_proposal(1, 1, issues=()), [commit])[0].evidence["names_pull_request"]
