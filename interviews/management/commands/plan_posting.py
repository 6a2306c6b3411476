import json
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from interviews.management.commands.analyze_posting import read_posting
from interviews.planning.plan import PlanOptions, build_plan
from interviews.postings.services import create_posting
from interviews.postings.text import PostingTextError


class Command(BaseCommand):
    help = "Analyse a posting file and print a question plan with its coverage map (nothing is saved)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--questions", type=int, default=8)
        parser.add_argument("--difficulty", type=int, choices=range(1, 6), default=None)
        parser.add_argument("--seed", type=int, default=None, help="make the choice repeatable")
        parser.add_argument("--offline", action="store_true", help="never call the LLM")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        text = read_posting(options["path"])
        # The planner works on saved postings; plan inside a transaction and roll back.
        with transaction.atomic():
            owner = User.objects.create_user(email="plan-posting@cli.invalid")
            try:
                posting = create_posting(owner, text, use_llm=False if options["offline"] else None)
            except PostingTextError as exc:
                raise CommandError(str(exc)) from exc
            plan = build_plan(
                posting,
                None,
                PlanOptions(questions=options["questions"], difficulty=options["difficulty"]),
                rng=random.Random(options["seed"]),
            )
            data = plan.as_json()
            transaction.set_rollback(True)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        questions: list[dict[str, Any]] = data["questions"]  # type: ignore[assignment]
        for i, q in enumerate(questions, start=1):
            self.stdout.write(f"Q{i} {q['slug']} ({q['kind']}, d{q['difficulty']}) covers {q['covers']}")
        self.stdout.write(f"coverage {data['coverage']:.0%}; uncovered requirements {data['uncovered']}")
