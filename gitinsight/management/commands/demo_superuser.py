import secrets

from django.core.management.base import BaseCommand

from gitinsight.services.demo import demo_superuser_ensure


class Command(BaseCommand):
    help = "Create the demo superuser 'demo' if missing; print its password once, when it is created."

    def handle(self, *args, **options) -> None:
        password = secrets.token_urlsafe(12)
        created = demo_superuser_ensure(username="demo", password=password)
        if created:
            self.stdout.write(f"Demo login: user 'demo', password '{password}' (shown only now)")
        else:
            self.stdout.write("Demo login: user 'demo' exists already (password shown when it was created; "
                              "`python manage.py changepassword demo` sets a new one)")
