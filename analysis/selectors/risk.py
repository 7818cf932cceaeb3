"""Reads for commit risk."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth

from analysis.core.records import CommitRecord, FileChange
from analysis.models import CommitRiskPrediction, ModelVersion, TrainingExample
from ingestion.models import Commit, CommitFile

_BATCH = 2000


def commit_record_from(commit: Commit) -> CommitRecord:
    return CommitRecord(
        sha=commit.sha,
        author=(commit.author_email or commit.author_login or commit.author_name).lower(),
        timestamp=int((commit.authored_at or commit.committed_at).timestamp()),
        message=commit.message,
        files=tuple(
            FileChange(path=f.path, additions=f.additions, deletions=f.deletions, old_path=f.previous_path,
                       is_binary=f.is_binary)
            for f in commit.files.all()
        ),
        parents=tuple(commit.parents),
    )


def commit_records(*, repository_id: int, include_merges: bool = False) -> Iterator[CommitRecord]:
    """The repository's ingested commits as records, oldest first (author time)."""
    commits = Commit.objects.filter(repository_id=repository_id).order_by("authored_at", "id")
    if not include_merges:
        commits = commits.filter(is_merge=False)
    files = Prefetch("files", queryset=CommitFile.objects.order_by("id"))
    for commit in commits.prefetch_related(files).iterator(chunk_size=_BATCH):
        yield commit_record_from(commit)


def training_examples_for(*, repository_id: int, feature_version: int) -> QuerySet[TrainingExample]:
    return (
        TrainingExample.objects.filter(commit__repository_id=repository_id, feature_version=feature_version)
        .select_related("commit")
        .order_by("commit__authored_at", "commit_id")
    )


def model_version_active(*, repository_id: int) -> ModelVersion | None:
    return ModelVersion.objects.filter(repository_id=repository_id, is_active=True).order_by("-created_at").first()


def model_version_monitoring(model_version: ModelVersion, *, bins: int = 10) -> dict[str, object]:
    """How a model version does in use: the spread of its scores, and, among the commits it
    called high risk whose labels have matured, the share that really were bug-inducing."""
    predictions = CommitRiskPrediction.objects.filter(model_version=model_version)
    probabilities = list(predictions.values_list("probability", flat=True))
    histogram = [0] * bins
    for probability in probabilities:
        histogram[min(int(probability * bins), bins - 1)] += 1
    high = predictions.filter(risk_level="high").values("commit_id")
    labelled = TrainingExample.objects.filter(
        commit_id__in=high, feature_version=model_version.feature_version, label__isnull=False
    )
    matured = labelled.count()
    risky = labelled.filter(label=1).count()
    return {
        "predictions": len(probabilities),
        "score_histogram": histogram,
        "high_risk_matured": matured,
        "realised_precision": risky / matured if matured else None,
    }


def risk_over_time(*, repository_id: int, model_version: ModelVersion) -> list[tuple[str, float, int]]:
    """(month, mean probability, commits) of the repository's commits scored by the version."""
    rows = (
        CommitRiskPrediction.objects.filter(model_version=model_version, commit__repository_id=repository_id)
        .annotate(month=TruncMonth("commit__authored_at"))
        .values("month")
        .annotate(mean=Avg("probability"), commits=Count("id"))
        .order_by("month")
    )
    return [(row["month"].strftime("%Y-%m"), float(row["mean"]), row["commits"]) for row in rows if row["month"]]
