"""python manage.py maintain_partitions: the daily upkeep of the tables partitioned by
month (audit log, pull request state history), as the owner role; for installations whose
workers do not hold the owner's credentials (deploy/systemd/gitinsight-maintenance.timer)."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from gitinsight.tasks import audit_partitions_maintain
from ingestion.services.state_history import state_history_partitions_maintain


class Command(BaseCommand):
    help = "Create the coming months' partitions and drop those past retention (audit log, state history)."

    def handle(self, *args, **options) -> None:
        result = {"audit_logs": audit_partitions_maintain(), "pr_state_history": state_history_partitions_maintain()}
        created = sum(len(done["created"]) for done in result.values())
        dropped = sum(len(done["dropped"]) for done in result.values())
        self.stdout.write(ngettext("%(count)d partition created", "%(count)d partitions created", created)
                          % {"count": created} + f", {dropped} dropped.")
        self.stdout.write(json.dumps(result))
