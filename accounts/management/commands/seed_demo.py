import os
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership, Organization, User

DEMO_PASSWORD = "backprop-demo"
DEMO_ACCOUNTS = [
    # (email, role in the demo organisation or None, is_staff)
    ("candidate@demo.backprop.dev", None, False),
    ("manager@demo.backprop.dev", Membership.Role.MANAGER, False),
    ("reviewer@demo.backprop.dev", Membership.Role.REVIEWER, False),
    ("admin@demo.backprop.dev", Membership.Role.OWNER, True),
]


DEMO_POSTING = """Machine Learning Engineer, Demo Co
Requirements:
- Train and debug deep learning models in PyTorch
- Design and analyse A/B tests; solid statistics
- Ship models to production with monitoring for drift
"""


class Command(BaseCommand):
    help = "Create one demo account per persona (idempotent) and print their logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--with-attempts",
            action="store_true",
            help="with the demo set, two finished attempts by fictional candidates (graded by the workers)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        org, _ = Organization.objects.get_or_create(slug="demo-co", defaults={"name": "Demo Co"})
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role, staff in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, is_staff=staff, is_superuser=staff)
            user.mark_email_verified()  # nobody reads mail at demo.backprop.dev
            if role:
                Membership.objects.get_or_create(user=user, organization=org, defaults={"role": role})
            persona = "staff / admin" if staff else (role or "candidate")
            self.stdout.write(f"  {persona:<14} {email}")
        self._demo_assessment(org, options["with_attempts"])

    def _demo_assessment(self, org: Organization, with_attempts: bool) -> None:
        """A ready-made team set with the demo candidate invited, once the bank is loaded."""
        from hiring.services import assessments, builder
        from interviews.models import Question

        if builder.team_sets(org).exists() or not Question.objects.usable().exists():
            return
        manager = User.objects.get(email="manager@demo.backprop.dev")
        question_set = builder.create_set(
            org, manager, "ML engineer screen", posting_text=DEMO_POSTING, questions=4, time_limit_minutes=30
        )
        # The address `make run` serves on (Makefile: 127.0.0.1, BACKPROP_PORT or 8000), so both
        # the emailed link and the printed one can be clicked.
        base_url = f"http://127.0.0.1:{os.environ.get('BACKPROP_PORT') or '8000'}"
        invite = assessments.invite_candidates(question_set, "candidate@demo.backprop.dev", manager, base_url)[0]
        url = base_url + reverse("assessment_invite", args=[invite.token])
        self.stdout.write(f"Demo assessment for the candidate: {url}")
        if with_attempts:
            from hiring.services import demo

            answers = demo.add_attempts(question_set, manager)
            self.stdout.write(
                f"Two fictional candidates finished it ({answers} answers): the workers grade them once started."
            )
