"""Training examples: Kamei features for every ingested commit, and labels from SZZ or from
an imported list."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from analysis.core.bugfix import FixDetector, TrackerMapping
from analysis.core.kamei import FEATURE_VERSION
from analysis.core.relative import features_with_percentiles_in_time_order
from analysis.core.szz import SZZ_VERSION, SzzConfig, szz_links
from analysis.models import BugInducingLink, TrainingExample
from analysis.selectors.config import risk_config
from analysis.selectors.risk import commit_record_from, commit_records
from ingestion.models import Commit, Issue, Repository

_BATCH = 1000


class CloneMissing(RuntimeError):
    pass


def fix_detector_for(repository: Repository, *, fix_shas: Collection[str] | None = None) -> FixDetector:
    config = risk_config(repository.settings)
    bug_numbers: dict[int, int | None] = {}
    for number, labels, created_at in Issue.objects.filter(
        repository=repository, is_pull_request=False
    ).values_list("number", "labels", "created_at"):
        if any(str(label).lower() in config.bug_labels for label in labels or []):
            bug_numbers[number] = int(created_at.timestamp()) if created_at else None
    tracker = None
    if config.tracker_key_pattern:
        bug_keys = (repository.settings.get("risk", {}) or {}).get("tracker_bug_keys", {}) or {}
        tracker = TrackerMapping(key_pattern=config.tracker_key_pattern, bug_keys=bug_keys)
    return FixDetector(
        fix_shas=set(fix_shas) if fix_shas is not None else None,
        tracker=tracker,
        github_bug_numbers=bug_numbers,
        use_keywords=config.use_keywords,
    )


def features_compute(*, repository_id: int, fix_shas: Collection[str] | None = None, only_missing: bool = False) -> int:
    """Compute the features of every commit in time order (Kamei's and their percentiles among
    the repository's earlier commits) and upsert them as training examples of the current
    feature version; returns how many rows were written. Labels already stored are kept, and
    a commit's label under an earlier feature version carries over to its new row."""
    repository = Repository.objects.get(pk=repository_id)
    detector = fix_detector_for(repository, fix_shas=fix_shas)
    ids = dict(Commit.objects.filter(repository_id=repository_id).values_list("sha", "id"))
    existing: set[int] = set()
    if only_missing:
        existing = set(
            TrainingExample.objects.filter(commit__repository_id=repository_id, feature_version=FEATURE_VERSION)
            .values_list("commit_id", flat=True)
        )
    rows = [
        TrainingExample(
            commit_id=ids[record.sha], feature_vector=features, feature_version=FEATURE_VERSION,
            is_fix=bool(features["fix"]),
        )
        for record, features in features_with_percentiles_in_time_order(
            commit_records(repository_id=repository_id), is_fix=detector
        )
        if ids[record.sha] not in existing
    ]
    with transaction.atomic():
        for start in range(0, len(rows), _BATCH):
            TrainingExample.objects.bulk_create(
                rows[start:start + _BATCH],
                update_conflicts=True,
                unique_fields=["commit", "feature_version"],
                update_fields=["feature_vector", "is_fix"],
            )
        _labels_carry_over(repository_id=repository_id)
    return len(rows)


def _labels_carry_over(*, repository_id: int) -> int:
    """Give unlabelled examples of the current feature version the label their commit had under
    an earlier one (imported labels would otherwise be lost when the features change)."""
    earlier = TrainingExample.objects.filter(
        commit_id=OuterRef("commit_id"), feature_version__lt=FEATURE_VERSION, label__isnull=False
    ).order_by("-feature_version")
    return TrainingExample.objects.filter(
        commit__repository_id=repository_id, feature_version=FEATURE_VERSION, label__isnull=True,
        label_source=TrainingExample.LabelSource.NONE,
    ).filter(Exists(earlier)).update(
        label=Subquery(earlier.values("label")[:1]),
        label_source=Subquery(earlier.values("label_source")[:1]),
        labelled_at=Subquery(earlier.values("labelled_at")[:1]),
    )


def labels_compute(
    *,
    repository_id: int,
    clone_path: str | None = None,
    as_of: datetime | None = None,
    szz_config: SzzConfig = SzzConfig(),
) -> dict[str, int]:
    """Run SZZ over the fix commits, store the links, and label the examples: 1 when blamed
    by a fix, 0 when older than the maturity window, null otherwise. Imported labels stay."""
    repository = Repository.objects.get(pk=repository_id)
    path = clone_path or repository.local_path
    if not path:
        raise CloneMissing(f"{repository.full_name} has no local clone to run SZZ in (ingest it with ingest_git)")
    config = risk_config(repository.settings)
    examples = TrainingExample.objects.filter(commit__repository_id=repository_id, feature_version=FEATURE_VERSION)
    fix_commits = [
        commit_record_from(example.commit)
        for example in examples.filter(is_fix=True).select_related("commit").order_by("commit__authored_at")
    ]
    fixes = [record.sha for record in fix_commits]
    detector = fix_detector_for(repository)
    reported_at = {
        record.sha: reported for record in fix_commits if (reported := detector.bug_reported_at(record)) is not None
    }
    ids = dict(Commit.objects.filter(repository_id=repository_id).values_list("sha", "id"))
    links = [
        BugInducingLink(
            repository_id=repository_id, fix_commit_id=ids[link.fix_sha], inducing_commit_id=ids[link.inducing_sha],
            path=link.path, lines=list(link.lines), szz_version=SZZ_VERSION,
        )
        for link in szz_links(path, fixes, reported_at=reported_at, config=szz_config)
        if link.fix_sha in ids and link.inducing_sha in ids
    ]
    mature_before = (as_of or timezone.now()) - timedelta(days=config.maturity_days)
    now = timezone.now()
    with transaction.atomic():
        BugInducingLink.objects.bulk_create(links, batch_size=_BATCH, ignore_conflicts=True)
        inducing = {link.inducing_commit_id for link in links}
        ours = examples.exclude(label_source=TrainingExample.LabelSource.IMPORTED)
        risky = ours.filter(commit_id__in=inducing).update(label=1, label_source="szz", labelled_at=now)
        rest = ours.exclude(commit_id__in=inducing)
        clean = rest.filter(commit__authored_at__lte=mature_before).update(label=0, label_source="szz", labelled_at=now)
        young = rest.filter(Q(commit__authored_at__gt=mature_before) | Q(commit__authored_at__isnull=True)).update(
            label=None, label_source="none", labelled_at=None
        )
    return {"fixes": len(fixes), "links": len(links), "risky": risky, "clean": clean, "unlabelled": young}


def labels_import(*, repository_id: int, labels: Mapping[str, int]) -> int:
    """Replace our labels with an imported set (commit sha -> 0/1); returns rows updated."""
    examples = TrainingExample.objects.filter(commit__repository_id=repository_id, feature_version=FEATURE_VERSION)
    now = timezone.now()
    updated = 0
    with transaction.atomic():
        for value in (0, 1):
            shas = [sha for sha, label in labels.items() if label == value]
            updated += examples.filter(commit__sha__in=shas).update(
                label=value, label_source=TrainingExample.LabelSource.IMPORTED, labelled_at=now
            )
    return updated
