"""The diff of a pull request head from its local clone: revisions stored in the database
are validated before git sees them, so a stored SHA can never become a git option."""

import pytest

from ingestion.models import PullRequest
from tests.analysis.gitrepo import GitRepo
from tests.triage.duplicates.fixtures import make_pull_request, make_repository
from triage.duplicates.services.patches import PatchUnavailable, pull_request_diff

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloned(acme, tmp_path) -> tuple[PullRequest, str]:
    """A pull request of a repository with a local clone, based on its first commit, and
    the clone's second commit."""
    repo = GitRepo(tmp_path / "clone")
    base = repo.commit("base", files={"app.py": "x = 1\n"})
    head = repo.commit("head", files={"app.py": "x = 2\n"})
    repository = make_repository(acme)
    repository.local_path = str(repo.path)
    repository.save()
    pull_request = make_pull_request(repository, 1, "Change x")
    pull_request.base_sha = base
    return pull_request, head


def test_a_head_is_diffed_against_its_base_in_the_clone(cloned):
    pull_request, head = cloned

    files, degraded = pull_request_diff(pull_request=pull_request, head_sha=head)

    assert [file.path for file in files] == ["app.py"] and degraded == []


@pytest.mark.parametrize("field", ["base_sha", "head_sha"])
def test_a_stored_sha_that_is_a_git_option_never_reaches_git(cloned, tmp_path, field):
    pull_request, head = cloned
    hostile = f"--output={tmp_path / 'written'}"
    if field == "base_sha":
        pull_request.base_sha = hostile
    else:
        head = hostile

    with pytest.raises(PatchUnavailable, match="not a commit SHA"):
        pull_request_diff(pull_request=pull_request, head_sha=head)

    assert not list(tmp_path.glob("written*"))
