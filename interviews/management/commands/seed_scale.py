"""`manage.py seed_scale`: a busy installation for measuring pages at size (see
interviews/seeding/scale.py for what it builds). PostgreSQL only: it writes with COPY.
Meant for a database of its own (e.g. the one `make bench-scale` uses): it assigns keys
from the tables' sequences while it writes, so nothing else may insert meanwhile."""

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from psycopg import sql

from accounts.models import User
from interviews.seeding.scale import EMAIL_DOMAIN, ScaleSeeder, Sizes


class Command(BaseCommand):
    help = "Fill a dedicated PostgreSQL database with a busy installation (10,000 candidates, 1M answers by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        for name in ("candidates", "answers", "teams", "sets", "attempts"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--seed", type=int, default=13, help="Random seed: the same seed builds the same data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it writes with COPY, and SQLite is not what a busy installation runs "
                "on): set DATABASE_URL=postgres://user@host:5432/a_database_of_its_own"
            )
        if User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
            raise CommandError(
                f"This database already holds seeded users (@{EMAIL_DOMAIN}): drop and recreate it to seed again."
            )
        sizes = Sizes(**{k: options[k] for k in ("candidates", "answers", "teams", "sets", "attempts")})
        if sizes.sets and not sizes.teams:
            raise CommandError("--sets needs at least one team")
        call_command("load_bank", verbosity=0)
        report = ScaleSeeder(sizes, seed=options["seed"], log=self.stdout.write).run()
        # Kept on the database itself (not in a table the app owns): what was seeded, and
        # who the busiest people are, for `make bench-scale` to reuse.
        # Quoted by psycopg, not bound: a utility statement takes no parameters, and the app's
        # connections bind them on the server (PG_PREPARED_STATEMENTS).
        comment = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(json.dumps({"seed_scale": report}))
        )
        with connection.cursor() as cursor:
            cursor.execute(comment.as_string(cursor.connection))
        counts = report["counts"]
        assert isinstance(counts, dict)
        self.stdout.write(
            f"Seeded in {report['seconds']} s: "
            + ", ".join(f"{n:,} {table.split('_', 1)[1]}" for table, n in counts.items())
        )
