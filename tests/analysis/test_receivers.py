from analysis.models import CommitRiskPrediction, PullRequestRiskPrediction
from ingestion import signals
from ingestion.models import Commit, PullRequest, PullRequestCommit
from ingestion.services.git.ingest import clone_ingest
from tests.analysis.gitrepo import lines


def test_newly_ingested_commits_are_scored_by_the_active_model(trained, history, django_capture_on_commit_callbacks):
    repo, _ = history
    sha = repo.commit("Add a late module", files={"pkg9/late.py": lines("LATE = 1")})
    try:
        with django_capture_on_commit_callbacks(execute=True):
            clone_ingest(path=str(repo.path), full_name="acme/demo")
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")

    prediction = CommitRiskPrediction.objects.get(commit__sha=sha)
    assert prediction.model_version.is_active and prediction.top_features


def test_a_pull_request_head_is_scored_from_its_commits(trained, django_capture_on_commit_callbacks):
    commits = list(Commit.objects.filter(repository=trained, is_merge=False).order_by("-authored_at")[:3])
    pull_request = PullRequest.objects.create(repository=trained, number=7, title="Late work", head_sha=commits[0].sha)
    for position, commit in enumerate(reversed(commits)):
        PullRequestCommit.objects.create(repository=trained, pull_request=pull_request, sha=commit.sha,
                                         position=position, commit=commit)

    with django_capture_on_commit_callbacks(execute=True):
        signals.pull_request_opened.send(sender=PullRequest, repository_id=trained.pk,
                                         pull_request_id=pull_request.pk, head_sha=commits[0].sha)

    prediction = PullRequestRiskPrediction.objects.get(pull_request=pull_request)
    scores = CommitRiskPrediction.objects.filter(commit__in=commits).values_list("probability", flat=True)
    assert prediction.commit_count == 3 and prediction.probability >= max(scores)
    assert prediction.top_features and prediction.riskiest_commit_id in {c.pk for c in commits}


def test_a_repository_ingested_for_the_first_time_is_scored_from_its_first_commit(acme, history,
                                                                                   django_capture_on_commit_callbacks):
    repo, _ = history

    with django_capture_on_commit_callbacks(execute=True):
        clone_ingest(path=str(repo.path), full_name="acme/fresh")

    first = Commit.objects.filter(repository__full_name="acme/fresh").order_by("authored_at").first()
    prediction = CommitRiskPrediction.objects.get(commit=first)
    assert prediction.model_version.algorithm == "global" and prediction.model_version.is_active
    scored = CommitRiskPrediction.objects.filter(commit__repository__full_name="acme/fresh")
    assert scored.count() == Commit.objects.filter(repository__full_name="acme/fresh", is_merge=False).count()
    assert scored.exclude(risk_level="low").exists()
