from django.db import transaction

from gitinsight.models import Membership, Organization, User


@transaction.atomic
def demo_superuser_ensure(*, username: str, password: str) -> bool:
    """Create the demo operator and a demo organization; return True if the user is new."""
    if User.objects.filter(username=username).exists():
        return False
    user = User.objects.create_superuser(username=username, email="", password=password)
    organization, _ = Organization.objects.get_or_create(login="demo", defaults={"name": "Demo organization"})
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": Membership.Role.OWNER})
    return True
