"""Repository data for the fake GitHub server, built from GitHub's own response examples
(the `@octokit/openapi` package that `scripts/fetch_fixtures.sh` caches). Each example
object is copied and varied (ids, numbers, shas, times) so a repository has several
pull requests, issues, commits... that all look exactly like GitHub's."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

OPENAPI_SPEC = Path(__file__).resolve().parents[2] / ".cache/octokit/openapi/generated/api.github.com.json"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

# Fields GitHub only returns from `GET /pulls/{n}`, not from the list.
PULL_DETAIL_ONLY = (
    "merged", "mergeable", "rebaseable", "mergeable_state", "merged_by", "comments", "review_comments",
    "maintainer_can_modify", "commits", "additions", "deletions", "changed_files",
)


class ExamplesMissing(RuntimeError):
    """The octokit examples are not cached; run scripts/fetch_fixtures.sh (make fixtures)."""


@lru_cache(maxsize=1)
def _examples() -> dict[str, Any]:
    if not OPENAPI_SPEC.exists():
        raise ExamplesMissing(f"{OPENAPI_SPEC} is missing: run scripts/fetch_fixtures.sh")
    spec = json.loads(OPENAPI_SPEC.read_bytes())
    return {name: item["value"] for name, item in spec["components"]["examples"].items() if "value" in item}


def example(name: str) -> Any:
    """A deep copy of GitHub's example `name` (e.g. "pull-request")."""
    return copy.deepcopy(_examples()[name])


def sha_for(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RepositoryData:
    """Everything the fake serves for one repository, as GitHub JSON."""

    repo: dict
    pulls: list[dict] = field(default_factory=list)
    pull_files: dict[int, list[dict]] = field(default_factory=dict)
    pull_commits: dict[int, list[dict]] = field(default_factory=dict)
    pull_reviews: dict[int, list[dict]] = field(default_factory=dict)
    commits: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    issue_comments: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    milestones: list[dict] = field(default_factory=list)
    check_runs: dict[str, list[dict]] = field(default_factory=dict)
    workflow_runs: list[dict] = field(default_factory=list)
    jobs: dict[int, list[dict]] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return self.repo["full_name"]

    def pull(self, number: int) -> dict:
        """LookupError (a 404) for a pull request the repository does not have."""
        for pull in self.pulls:
            if pull["number"] == number:
                return pull
        raise LookupError(f"no pull request #{number}")

    def touch_pull(self, number: int, *, at: datetime, **changes: Any) -> None:
        """Change a pull request the way an edit on GitHub would (new updated_at)."""
        pull = self.pull(number)
        pull.update(changes, updated_at=iso(at))
        for issue in self.issues:
            if issue["number"] == number:
                issue.update(updated_at=iso(at), title=pull["title"])

    def commit_detail(self, sha: str) -> dict | None:
        for commit in [*self.commits, *(c for cs in self.pull_commits.values() for c in cs)]:
            if commit["sha"] == sha:
                detail = copy.deepcopy(commit)
                files = commit_files(sha)
                detail["files"] = files
                additions = sum(f["additions"] for f in files)
                deletions = sum(f["deletions"] for f in files)
                detail["stats"] = {"total": additions + deletions, "additions": additions, "deletions": deletions}
                return detail
        return None


def commit_files(sha: str) -> list[dict]:
    paths = [("src/app.py", "modified", 7, 2), ("tests/test_app.py", "added", 12, 0)]
    files = []
    for path, status, additions, deletions in paths:
        entry = example("diff-entry-items")[0]
        entry.update(
            sha=sha_for(sha, path), filename=path, status=status, additions=additions, deletions=deletions,
            changes=additions + deletions,
        )
        files.append(entry)
    return files


def _user(login: str, user_id: int) -> dict:
    user = example("pull-request")["user"]
    user.update(login=login, id=user_id, html_url=f"https://github.com/{login}")
    return user


def _commit(owner: str, name: str, index: int, *, parent: str | None, prefix: str = "main") -> dict:
    commit = example("commit-items")[0]
    sha = sha_for(owner, name, prefix, index)
    moment = EPOCH + timedelta(hours=index)
    commit["sha"] = sha
    commit["html_url"] = f"https://github.com/{owner}/{name}/commit/{sha}"
    commit["commit"]["message"] = f"Change number {index} ({prefix})"
    commit["commit"]["author"]["date"] = iso(moment)
    commit["commit"]["committer"]["date"] = iso(moment)
    commit["parents"] = [{"sha": parent, "url": "", "html_url": ""}] if parent else []
    return commit


def build_repository(
    owner: str = "octocat",
    name: str = "Hello-World",
    *,
    repo_id: int = 1296269,
    pulls: int = 5,
    issues: int = 4,
    commits: int = 6,
    milestones: int = 2,
    workflow_runs: int = 3,
) -> RepositoryData:
    """A repository with `pulls` pull requests (each with files, commits, a review and
    check runs on its head), `issues` plain issues, commits on the default branch,
    milestones, comments and workflow runs with jobs. Ids are derived from `repo_id`
    so two repositories never share one."""
    full_name = f"{owner}/{name}"
    repo = example("full-repository-default-response")
    repo.update(
        id=repo_id, name=name, full_name=full_name, html_url=f"https://github.com/{full_name}",
        clone_url=f"https://github.com/{full_name}.git", default_branch="main", language="Python",
    )
    repo["owner"] = _user(owner, repo_id + 1)
    data = RepositoryData(repo=repo)
    base_id = repo_id * 1000

    for number in range(1, milestones + 1):
        milestone = example("milestone-items")[0]
        milestone.update(
            id=base_id + 900 + number, number=number, title=f"v{number}.0", state="open",
            html_url=f"https://github.com/{full_name}/milestone/{number}",
            created_at=iso(EPOCH), updated_at=iso(EPOCH + timedelta(days=number)),
            due_on=iso(EPOCH + timedelta(days=30 * number)), open_issues=number, closed_issues=1,
        )
        data.milestones.append(milestone)

    parent = None
    for index in range(commits):
        commit = _commit(owner, name, index, parent=parent)
        parent = commit["sha"]
        data.commits.append(commit)

    for index in range(pulls):
        number = index + 1
        moment = EPOCH + timedelta(days=index, hours=1)
        pull = example("pull-request")
        head_commits = [_commit(owner, name, i, parent=None, prefix=f"pr{number}") for i in range(2)]
        head_sha = head_commits[-1]["sha"]
        pull.update(
            id=base_id + number, number=number, title=f"Pull request {number}", state="open", locked=False,
            html_url=f"https://github.com/{full_name}/pull/{number}", draft=index == 0,
            created_at=iso(moment), updated_at=iso(moment + timedelta(hours=index)),
            closed_at=None, merged_at=None, merged=False, merge_commit_sha=None, mergeable=True,
            additions=19, deletions=2, changed_files=2, commits=2,
        )
        pull["user"] = _user(f"author{number}", 100 + number)
        pull["milestone"] = data.milestones[0] if data.milestones and index % 2 == 0 else None
        pull["head"]["sha"] = head_sha
        pull["head"]["ref"] = f"feature-{number}"
        pull["head"]["repo"] = copy.deepcopy(repo)
        pull["base"]["repo"] = copy.deepcopy(repo)
        pull["base"]["ref"] = "main"
        pull["base"]["sha"] = data.commits[-1]["sha"] if data.commits else sha_for("base")
        if index == pulls - 1 and pulls > 1:  # the last one is merged
            pull.update(state="closed", merged=True, merged_at=iso(moment + timedelta(days=1)),
                        closed_at=iso(moment + timedelta(days=1)), merge_commit_sha=sha_for("merge", number))
        data.pulls.append(pull)
        data.pull_commits[number] = head_commits
        files = []
        for path, status, additions, deletions in [("src/app.py", "modified", 7, 2), ("docs/usage.md", "added", 12, 0)]:
            entry = example("diff-entry-items")[0]
            entry.update(filename=path, status=status, additions=additions, deletions=deletions,
                         changes=additions + deletions, sha=sha_for(head_sha, path))
            files.append(entry)
        data.pull_files[number] = files
        review = example("pull-request-review-items")[0]
        review.update(id=base_id + 500 + number, commit_id=head_sha, state="APPROVED",
                      submitted_at=iso(moment + timedelta(hours=2)))
        review["user"] = _user("reviewer", 999)
        data.pull_reviews[number] = [review]
        runs = []
        for position, check_name in enumerate(("build", "lint")):
            run = example("check-run-paginated")["check_runs"][0]
            run.update(id=base_id + 600 + number * 10 + position, head_sha=head_sha, name=check_name,
                       conclusion="failure" if number == 2 and check_name == "build" else "success",
                       started_at=iso(moment), completed_at=iso(moment + timedelta(minutes=5)))
            run["pull_requests"][0].update(id=pull["id"], number=number)
            run["pull_requests"][0]["head"]["sha"] = head_sha
            run["check_suite"] = {"id": base_id + 700 + number}
            runs.append(run)
        data.check_runs[head_sha] = runs
        as_issue = example("issue-items")[0]
        as_issue.update(id=base_id + 300 + number, number=number, title=pull["title"], state=pull["state"],
                        created_at=pull["created_at"], updated_at=pull["updated_at"], closed_at=pull["closed_at"],
                        milestone=pull["milestone"], user=pull["user"], comments=1)
        as_issue["pull_request"]["html_url"] = pull["html_url"]
        data.issues.append(as_issue)

    for index in range(issues):
        number = pulls + index + 1
        moment = EPOCH + timedelta(days=index, hours=3)
        issue = example("issue-items")[0]
        issue.pop("pull_request", None)
        issue.update(
            id=base_id + 300 + number, number=number, title=f"Issue {number}", state="open",
            html_url=f"https://github.com/{full_name}/issues/{number}",
            created_at=iso(moment), updated_at=iso(moment + timedelta(hours=index)), closed_at=None,
            milestone=data.milestones[-1] if data.milestones and index % 2 else None, comments=1,
        )
        issue["user"] = _user(f"reporter{index}", 200 + index)
        data.issues.append(issue)

    for position, issue in enumerate(data.issues):
        comment = example("issue-comment-items")[0]
        comment.update(
            id=base_id + 800 + position, body=f"Comment on #{issue['number']}",
            issue_url=f"https://api.github.com/repos/{full_name}/issues/{issue['number']}",
            html_url=f"{issue['html_url']}#issuecomment-{base_id + 800 + position}",
            created_at=issue["created_at"], updated_at=issue["updated_at"],
        )
        data.issue_comments.append(comment)

    for pull in data.pulls[:2]:
        comment = example("pull-request-review-comment-items")[0]
        comment.update(
            id=base_id + 850 + pull["number"], pull_request_review_id=data.pull_reviews[pull["number"]][0]["id"],
            commit_id=pull["head"]["sha"], original_commit_id=pull["head"]["sha"], in_reply_to_id=None,
            path="src/app.py", line=3,
            pull_request_url=f"https://api.github.com/repos/{full_name}/pulls/{pull['number']}",
            created_at=pull["updated_at"], updated_at=pull["updated_at"],
        )
        data.review_comments.append(comment)

    for index in range(workflow_runs):
        run = example("workflow-run-paginated")["workflow_runs"][0]
        moment = EPOCH + timedelta(days=index, hours=5)
        run_id = base_id + 400 + index
        head_sha = data.pulls[index % len(data.pulls)]["head"]["sha"] if data.pulls else sha_for("run", index)
        run.update(
            id=run_id, run_number=index + 1, head_sha=head_sha, status="completed",
            conclusion="failure" if index == 1 else "success", created_at=iso(moment), run_started_at=iso(moment),
            updated_at=iso(moment + timedelta(minutes=7)),
            html_url=f"https://github.com/{full_name}/actions/runs/{run_id}",
        )
        data.workflow_runs.append(run)
        job = example("job-paginated")["jobs"][0]
        job.update(
            id=run_id * 10 + 1, run_id=run_id, head_sha=head_sha, status="completed", conclusion=run["conclusion"],
            started_at=iso(moment), completed_at=iso(moment + timedelta(minutes=6)),
        )
        data.jobs[run_id] = [job]
    return data


def pull_list_item(pull: dict) -> dict:
    """A pull request as `GET /pulls` lists it (without the detail-only fields)."""
    return {key: value for key, value in pull.items() if key not in PULL_DETAIL_ONLY}
