from tests.triage.duplicates.diffs import PYTHON_FIX, REWRITTEN_FIX
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.scoring import score_pair
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.core.text import pull_request_references


def test_a_pull_request_refers_to_its_own_number_and_what_its_branch_copies():
    assert pull_request_references("Fix the parser", "Closes #12", number=40) == {12, 40}
    assert pull_request_references("x", "", branch="charris/backport-20691-20693") == {20691, 20693}
    assert pull_request_references("x", "", branch="meeseeksmachine/auto-backport-of-pr-20213-on-v8.0.x") == {20213}
    patchback = "pytest-dev/patchback/backports/9.1.x/d6f66d42df86624ed128b84ce57df3d173fe1b95/pr-14865"
    assert pull_request_references("x", "", branch=patchback) == {14865}
    assert pull_request_references("x", "", branch="ronny/backport-annotations-to-8.2") == set()


def test_a_backport_naming_its_origin_shares_a_reference_with_it():
    origin = pr_signature(parse_unified_diff(PYTHON_FIX), title="Fix samefile", body="", number=120)
    backport = pr_signature(parse_unified_diff(REWRITTEN_FIX), title="[1.x] Fix samefile", body="",
                            number=130, branch="alice/backport-120")
    assert score_pair(backport, origin).scores["references"] == 1.0
