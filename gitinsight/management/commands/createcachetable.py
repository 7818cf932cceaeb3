"""Django's `createcachetable`, run as the schema's owner role (DATABASE_OWNER_URL; see
gitinsight/database/owner.py)."""

from django.core.management.commands.createcachetable import Command as DjangoCreatecachetable

from gitinsight.database.owner import as_owner


class Command(DjangoCreatecachetable):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
