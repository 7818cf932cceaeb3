"""Django's `migrate`, run as the schema's owner role (DATABASE_OWNER_URL; see gitinsight/database/owner.py)."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from gitinsight.database.owner import as_owner


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
