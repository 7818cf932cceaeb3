import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from benchmarks.forecasts.backtest_git import run_git_backtest
from benchmarks.forecasts.backtest_tse import run_tse_backtest
from benchmarks.forecasts.git_history import GitHistoryError
from benchmarks.forecasts.tse_data import TseDataError


class Command(BaseCommand):
    help = (
        "Backtest milestone forecasts. With PATH (a git clone): release tags as milestones, forecasts at 0/30/50 % "
        "of each release. With --tse2017 DIR: predict sprint delivery (vel_diff) on the TSE 2018 sprint data. "
        "The last line of output is JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="A git clone with release tags.")
        parser.add_argument("--tse2017", metavar="DIR", help="Folder of the TSE 2018 sprint data set.")

    def handle(self, *args, path: str | None, tse2017: str | None, **options) -> None:
        if bool(path) == bool(tse2017):
            raise CommandError("give either a git clone PATH or --tse2017 DIR")
        try:
            result = self._tse(Path(tse2017)) if tse2017 else self._git(Path(path))
        except (GitHistoryError, TseDataError, FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result))

    def _git(self, repo: Path) -> dict[str, object]:
        if not repo.is_dir():
            raise CommandError(f"{repo} is not a directory")
        bar = tqdm(desc="releases", file=sys.stderr, unit="release")

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = run_git_backtest(repo, progress=progress)
        bar.close()
        for row in result["checkpoints"]:
            self.stdout.write(
                f"at {int(row['checkpoint'] * 100):>2} %: n={row['n']} coverage_80={row['coverage_80']} "
                f"mae_days={row['mae_days']} brier={row['brier']} brier_skill={row['brier_skill']}"
            )
        return result

    def _tse(self, root: Path) -> dict[str, object]:
        if not root.is_dir():
            raise CommandError(f"{root} is not a directory")
        bar = tqdm(desc="tse2017", file=sys.stderr, total=None, unit="fit")

        def progress(label: str) -> None:
            bar.set_postfix_str(label)
            bar.update(1)

        result = run_tse_backtest(root, progress=progress)
        bar.close()
        for row in result["per_project"]:
            self.stdout.write(
                f"{row['project']:>8} at {row['checkpoint']:>2} %: n_test={row['n_test']} nmae={row['nmae']} "
                f"precision={row['precision']} recall={row['recall']} auc={row['auc']} "
                f"(naive nmae={row.get('nmae_naive')} nmae/project IQR={row.get('nmae_project_iqr')} "
                f"auc paper classes={row.get('auc_paper_classes')})"
            )
        return result
