import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workspace.services.demo import DemoStep, demo_run


class Command(BaseCommand):
    help = "Ingest a git clone (default: this project) and run commit risk, insights, triage and forecasts on it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repo", default=".", help="Path of a git clone (DEMO_REPO in `make demo`).")

    def handle(self, *args, repo: str, **options) -> None:
        path = Path(repo).resolve()
        if not (path / ".git").exists() and not (path / "HEAD").exists():
            raise CommandError(f"{path} is not a git clone; set DEMO_REPO to one")
        started = time.perf_counter()

        def report(step: DemoStep) -> None:
            self.stdout.write(f"  {step.type:<11} {step.status:<10} {step.summary}")

        self.stdout.write(f"Analysing {path} ...")
        steps = demo_run(path=str(path), report=report)
        failed = [step.type for step in steps if step.status != "completed"]
        self.stdout.write(
            f"Demo data ready in {time.perf_counter() - started:.0f} s"
            + (f" ({', '.join(failed)} did not complete: see Analysis jobs in the admin)" if failed else "")
        )
