from sprints.core.dependencies import BLOCKED_BY, BLOCKS, RELATED, TASK_LIST, dependency_edges, parse_dependencies


def _kinds(text: str) -> list[tuple[str, int, str | None]]:
    return [(d.kind, d.number, d.repository) for d in parse_dependencies(text)]


def test_it_reads_blocked_by_and_depends_on_with_several_references():
    assert _kinds("Blocked by #12. Depends on #3, #4 and #5.") == [
        (BLOCKED_BY, 12, None),
        (BLOCKED_BY, 3, None),
        (BLOCKED_BY, 4, None),
        (BLOCKED_BY, 5, None),
    ]


def test_it_reads_task_lists_checked_or_not():
    text = "Plan:\n- [ ] #7\n* [x] #8 done\n- [ ] write docs (no reference)\n"
    assert _kinds(text) == [(TASK_LIST, 7, None), (TASK_LIST, 8, None)]


def test_it_reads_github_links_and_cross_repository_references():
    text = "depends on https://github.com/acme/app/issues/44 and requires other/lib#9\n- [ ] https://github.com/acme/app/pull/45"
    assert _kinds(text) == [(BLOCKED_BY, 44, "acme/app"), (BLOCKED_BY, 9, "other/lib"), (TASK_LIST, 45, "acme/app")]


def test_it_ignores_references_inside_code():
    text = "`blocked by #1`\n```\ndepends on #2\n```\nrelated to #3"
    assert _kinds(text) == [(RELATED, 3, None)]


def test_it_ignores_plain_mentions():
    assert parse_dependencies("Fixes #10, see the discussion in #11.") == []


def test_it_orients_every_edge_from_dependent_to_dependency_within_the_repository():
    text = "This blocks #7. Blocked by #2. Depends on other/lib#4. Depends on #5 (self: #5 is this issue)."
    assert dependency_edges(5, text, full_name="acme/app") == [(5, 2, BLOCKED_BY), (7, 5, BLOCKS)]
