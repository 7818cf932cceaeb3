import json

from django.core.management.base import BaseCommand, CommandError

from benchmarks.api_load.database import BenchDatabaseError
from benchmarks.recovery import bench_recovery_run
from gitinsight.database.pitr import RecoveryError


class Command(BaseCommand):
    help = (
        "Take a base backup of the embedded server, write webhook deliveries and audit rows through the application, "
        "note a moment T, write more, recover a scratch cluster to T and compare; prints JSON {rows_expected, "
        "rows_restored, lost, extra} as the last line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows-before", type=int, default=300, help="Deliveries (each audited) before T.")
        parser.add_argument("--rows-after", type=int, default=300, help="Deliveries (each audited) after T.")
        parser.add_argument("--database", default="bench_recovery", help="Database on the embedded server.")

    def handle(self, *args, **options) -> None:
        try:
            result = bench_recovery_run(rows_before=options["rows_before"], rows_after=options["rows_after"],
                                        database=options["database"])
        except (RecoveryError, BenchDatabaseError) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"recovered to {result['target']}: {result['rows_restored']} of {result['rows_expected']} rows, "
            f"{result['lost']} lost, {result['extra']} written after T present"
        )
        self.stdout.write(json.dumps(result))
