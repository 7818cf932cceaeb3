"""Django's `flush`, run as the schema's owner role (DATABASE_OWNER_URL; see gitinsight/database/owner.py)."""

from django.core.management.commands.flush import Command as DjangoFlush

from gitinsight.database.owner import as_owner


class Command(DjangoFlush):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
