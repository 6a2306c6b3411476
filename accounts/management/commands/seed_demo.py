from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Membership, Organization, User

DEMO_PASSWORD = "backprop-demo"
DEMO_ACCOUNTS = [
    # (email, role in the demo organisation or None, is_staff)
    ("candidate@demo.backprop.dev", None, False),
    ("manager@demo.backprop.dev", Membership.Role.MANAGER, False),
    ("reviewer@demo.backprop.dev", Membership.Role.REVIEWER, False),
    ("admin@demo.backprop.dev", Membership.Role.OWNER, True),
]


class Command(BaseCommand):
    help = "Create one demo account per persona (idempotent) and print their logins."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        org, _ = Organization.objects.get_or_create(slug="demo-co", defaults={"name": "Demo Co"})
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role, staff in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, is_staff=staff, is_superuser=staff)
            if role:
                Membership.objects.get_or_create(user=user, organization=org, defaults={"role": role})
            persona = "staff / admin" if staff else (role or "candidate")
            self.stdout.write(f"  {persona:<14} {email}")
