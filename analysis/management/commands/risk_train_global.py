"""Rebuild the global commit-risk model from fetched ApacheJIT projects; JSON summary last."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.core.global_data import GLOBAL_PROJECTS, GlobalDataError, global_model_train, project_data
from analysis.core.global_model import GLOBAL_MODEL_PATH


class Command(BaseCommand):
    help = ("Derive ApacheJIT labels and features for the global model's projects from their fetched "
            "repositories, report the leave-one-project-out AUCs, and write the model file.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mirrors", required=True,
                            help="Folder of fetched repositories (<owner>+<name>/repo), e.g. /work/.mirror.")
        parser.add_argument("--apachejit", help="Git dir of hosseinkshvrz/apachejit (default: in --mirrors).")
        parser.add_argument("--derive-script", default=str(Path(settings.BASE_DIR).parent / "shared" / "data" / "jit"
                                                           / "derive_apachejit.py"),
                            help="Path of derive_apachejit.py (the shared data folder's).")
        parser.add_argument("--work-dir", default=str(Path(settings.BASE_DIR) / ".data" / "jit-global"),
                            help="Where derived labels and features are cached (kept out of git).")
        parser.add_argument("--out", default=str(GLOBAL_MODEL_PATH), help="Where to write the model file.")
        parser.add_argument("--projects", help="Comma-separated subset of the projects (default: all).")
        parser.add_argument("--leave-one-out-only", action="store_true",
                            help="Report the leave-one-project-out AUCs without writing the model file.")

    def handle(self, *args, **options) -> None:
        mirrors = Path(options["mirrors"])
        apachejit = Path(options["apachejit"] or mirrors / "hosseinkshvrz+apachejit" / "repo")
        chosen = set(options["projects"].split(",")) if options["projects"] else None
        projects = [p for p in GLOBAL_PROJECTS if chosen is None or p.name in chosen]
        if chosen is not None and len(projects) != len(chosen):
            known = ", ".join(p.name for p in GLOBAL_PROJECTS)
            raise CommandError(f"unknown project in {options['projects']}; the projects are {known}")
        derive = Path(options["derive_script"])
        if not derive.exists():
            raise CommandError(f"{derive} not found; pass --derive-script")
        try:
            groups = [
                project_data(project, mirrors=mirrors, apachejit=apachejit, derive_script=derive,
                             work_dir=Path(options["work_dir"]), report=self.stderr.write)
                for project in projects
            ]
            model = global_model_train(groups, report=self.stderr.write)
        except GlobalDataError as exc:
            raise CommandError(str(exc)) from exc
        summary: dict[str, object] = {
            "version": model.version,
            "projects": {p.project: {"labelled": p.labelled, "bug_inducing": p.bug_inducing,
                                     "leave_one_out_auc": model.leave_one_out[p.project]} for p in model.trained_on},
            "leave_one_out_mean_auc": model.leave_one_out["mean"],
            "calibrator": {"slope": round(model.calibrator.slope, 4),
                           "intercept": round(model.calibrator.intercept, 4)},
            "discovery": model.discovery.to_json(),
        }
        if not options["leave_one_out_only"]:
            data = model.to_bytes()
            Path(options["out"]).parent.mkdir(parents=True, exist_ok=True)
            Path(options["out"]).write_bytes(data)
            summary |= {"out": options["out"], "bytes": len(data)}
        self.stdout.write(json.dumps(summary))
