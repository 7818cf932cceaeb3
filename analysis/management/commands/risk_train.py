"""Refresh features and labels of an ingested repository, train a model version (promoted
when it beats the active one) and optionally score every commit; JSON summary last."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.core.bugfix import FixListError, fix_list_read
from analysis.core.labels import LabelFileError, labels_read
from analysis.core.szz import SzzError
from analysis.services.examples import CloneMissing, features_compute, labels_compute, labels_import
from analysis.services.models import model_train
from analysis.services.predictions import commits_predict
from ingestion.models import Commit
from ingestion.selectors import RepositoryNotFound, repository_by_full_name


class Command(BaseCommand):
    help = "Compute features and SZZ labels, train a commit-risk model version, optionally score all commits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repo", required=True, help="OWNER/NAME of an ingested repository.")
        parser.add_argument("--fixes", help="CSV (issue_key, commit_id): the fix commits, instead of detecting them.")
        parser.add_argument("--labels", help="CSV (commit_id, buggy): imported labels that replace SZZ's.")
        parser.add_argument("--predict", action="store_true", help="Score every commit with the active model.")

    def handle(self, *args, **options) -> None:
        try:
            repository = repository_by_full_name(options["repo"])
            fixes = fix_list_read(options["fixes"]).shas if options["fixes"] else None
            summary: dict[str, object] = {"repository": repository.full_name}
            summary["examples"] = features_compute(repository_id=repository.pk, fix_shas=fixes)
            summary["labels"] = labels_compute(repository_id=repository.pk)
            if options["labels"]:
                summary["imported_labels"] = labels_import(
                    repository_id=repository.pk, labels=labels_read(options["labels"])
                )
            outcome = model_train(repository_id=repository.pk)
            summary |= {"version": outcome.model_version.version, "algorithm": outcome.model_version.algorithm,
                        "promoted": outcome.promoted, "why": outcome.model_version.selection_reason,
                        "holdout": outcome.model_version.metrics}
            if options["predict"]:
                ids = list(Commit.objects.filter(repository=repository, is_merge=False).values_list("id", flat=True))
                summary["predictions"] = commits_predict(repository_id=repository.pk, commit_ids=ids)
        except (RepositoryNotFound, FixListError, LabelFileError, CloneMissing, SzzError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(summary, default=str))
