from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interviews.bank.loader import BankError, load_bank


class Command(BaseCommand):
    help = "Load the skill taxonomy and the authored question bank (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_bank()
        except BankError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Bank loaded: {report.skills} skills; questions {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.retired} retired; "
            f"coding questions {report.coding.created} created, {report.coding.updated} updated, "
            f"{report.coding.unchanged} unchanged."
        )
