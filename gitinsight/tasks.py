from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from gitinsight.database.audit_partitions import audit_partitions_drop_expired, audit_partitions_ensure
from gitinsight.database.backups import backup_create_unless_recent
from gitinsight.database.recovery import base_backup_take_unless_recent
from gitinsight.database.tenant_scope import installation_wide
from gitinsight.models import RateLimitCounter


@installation_wide("rate-limit windows belong to API keys, not to an organization")
def rate_limit_counters_purge() -> int:
    """Delete counters of windows that ended more than a day ago."""
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted


@installation_wide("partitions hold every organization's audit rows")
def audit_partitions_maintain() -> dict[str, list[str]]:
    """Daily: create the audit log partitions of the coming months, and drop expired ones
    when AUDIT_RETENTION_MONTHS is set (unset or 0 keeps audit rows forever)."""
    created = audit_partitions_ensure(months_ahead=3)
    keep_months = settings.AUDIT_RETENTION_MONTHS
    dropped = audit_partitions_drop_expired(keep_months=keep_months) if keep_months else []
    return {"created": created, "dropped": dropped}


@installation_wide("a backup is of the whole database")
def database_backup_daily() -> dict | None:
    """Daily backup; a run within the last 12 hours (a retry, a manual backup) counts as
    today's, so running it twice dumps once."""
    run = backup_create_unless_recent(within=timedelta(hours=12))
    return None if run is None else {"file": run.file, "size_bytes": run.size_bytes, "pruned": run.pruned}


@installation_wide("a backup is of the whole database")
def base_backup_daily() -> dict | None:
    """Daily base backup of the embedded server for point-in-time recovery; skipped with an
    external server or when one is younger than 12 hours, so running it twice backs up once."""
    backup = base_backup_take_unless_recent(within=timedelta(hours=12))
    return None if backup is None else {"path": backup.path, "finished_at": backup.finished_at}
