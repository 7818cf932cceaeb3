from django.core.management.base import BaseCommand

from gitinsight.schedules import schedules_sync


class Command(BaseCommand):
    help = "Create or update the periodic jobs declared in code (also runs after migrate)."

    def handle(self, *args, **options) -> None:
        names = schedules_sync()
        self.stdout.write(f"{len(names)} schedules in place: {', '.join(names)}")
