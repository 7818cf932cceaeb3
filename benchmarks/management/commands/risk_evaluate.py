"""Evaluate the commit-risk models on a time split; JSON summary as the last line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.core.bugfix import FixListError, fix_list_read
from analysis.core.git_history import GitHistoryError, commits_from_clone
from analysis.core.global_model import GLOBAL_MODEL_PATH, GlobalModelError, global_model_load
from analysis.core.labels import DEFAULT_MATURITY_DAYS, LabelFileError, label_file_fixes, labels_read, links_read
from analysis.core.szz import SzzError
from analysis.selectors.risk import commit_records
from benchmarks.risk.evaluation import EvaluationError, EvaluationRequest, risk_evaluate
from ingestion.selectors import RepositoryNotFound, repository_by_full_name


def _end_of_day(value: str) -> int:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CommandError(f"expected a date as YYYY-MM-DD, got {value!r}") from exc
    return int(datetime.combine(day, time(23, 59, 59), tzinfo=UTC).timestamp())


class Command(BaseCommand):
    help = "Train on commits up to --train-until, test on the rest up to --test-until; print metrics as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repo", help="OWNER/NAME of an ingested repository (commits read from the database).")
        parser.add_argument("--path", help="A git clone: commits read from it, and SZZ blames in it.")
        parser.add_argument("--revision", default="HEAD", help="Revision of --path to read (default HEAD).")
        parser.add_argument("--train-until", required=True)
        parser.add_argument("--test-until", required=True)
        parser.add_argument("--labels", help="CSV (commit_id, buggy[, fix]) replacing our SZZ labels; its fix "
                            "column, when present and --fixes is not given, names the fix commits (FIX feature).")
        parser.add_argument("--fixes", help="CSV (issue_key, commit_id) of fix commits; SZZ labels the rest.")
        parser.add_argument("--links", help="CSV (fix_hash, bug_hash) of reference SZZ links to compare with.")
        parser.add_argument("--maturity-days", type=int, default=DEFAULT_MATURITY_DAYS)
        parser.add_argument("--labels-as-of", help="Date (YYYY-MM-DD) the --labels were taken; ECE counts on it "
                            "(ApacheJIT's: 2019-12-31). Default: the latest labelled commit.")
        parser.add_argument("--global-model", default=str(GLOBAL_MODEL_PATH),
                            help="The global model file to report beside the others (default: the shipped one).")
        parser.add_argument("--no-global", action="store_true", help="Leave the global model out.")

    def handle(self, *args, **options) -> None:
        if not options["repo"] and not options["path"]:
            raise CommandError("give --repo (ingested) or --path (a clone)")
        try:
            clone_path = options["path"]
            if options["repo"]:
                repository = repository_by_full_name(options["repo"])
                clone_path = clone_path or repository.local_path or None
                commits = commit_records(repository_id=repository.pk)
            else:
                commits = commits_from_clone(clone_path, revision=options["revision"])
            fix_shas, fix_source = None, "keywords"
            if options["fixes"]:
                fix_shas, fix_source = fix_list_read(options["fixes"]).shas, "fixes"
            elif options["labels"] and (from_labels := label_file_fixes(options["labels"])) is not None:
                fix_shas, fix_source = from_labels, "labels"
            request = EvaluationRequest(
                train_until=_end_of_day(options["train_until"]),
                test_until=_end_of_day(options["test_until"]),
                labels=labels_read(options["labels"]) if options["labels"] else None,
                fix_shas=tuple(sorted(fix_shas)) if fix_shas is not None else None,
                clone_path=clone_path,
                reference_links=links_read(options["links"]) if options["links"] else None,
                maturity_days=options["maturity_days"],
                global_model=None if options["no_global"] else global_model_load(Path(options["global_model"])),
                labels_as_of=_end_of_day(options["labels_as_of"]) if options["labels_as_of"] else None,
            )
            result = risk_evaluate(commits, request) | {"fix_source": fix_source}
        except (RepositoryNotFound, EvaluationError, FixListError, LabelFileError, GitHistoryError, SzzError,
                GlobalModelError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, sort_keys=True))
