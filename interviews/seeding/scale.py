"""A busy installation for measuring pages at size (`manage.py seed_scale`).

What it builds, deterministically for a given seed:
- candidates whose practice follows a long tail (rank^-0.6: the busiest has thousands of
  answers, most a few dozen), over a year, in sessions of 4-10 questions leaning on three
  favourite skills; each answer graded once (3% regraded: the newer grade counts, as
  Grade.count makes it), with a revisit schedule per question answered;
- hiring teams of a manager and reviewers whose number of sets follows a long tail too
  (rank^-0.8), each set taken by a log-normal number of candidates: frozen copies of the
  set, invitations, browser events, answers graded the same way, and reviewer overrides
  (Answer.override) on 6% of them;
- a few postings (with requirements linked to skills) for the busiest candidates and some others.

Answers total `answers`: the attempts' answers first, practice gets the rest. Everything
is written with COPY in one transaction (see copy_writer), then analysed."""

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from hiring.services import review_entries
from interviews.models import Question, QuestionVersion, Skill
from interviews.progress import history, summary
from interviews.seeding.copy_writer import Raw, TableWriter, cell

EMAIL_DOMAIN = "scale.invalid"
PASSWORD = "scale-password-1"
REGRADED = 0.03
OVERRIDDEN = 0.06
GRADE_SUMMARY = "Graded by the built-in grader."
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Sizes:
    candidates: int = 10_000
    answers: int = 1_000_000
    teams: int = 200
    sets: int = 1_000
    attempts: int = 50_000


@dataclass
class BankQuestion:
    pk: int
    version: int
    difficulty: int
    rubric: list[tuple[str, int]]
    rubric_version: str
    texts: list[Raw]  # answer texts of a few lengths, already escaped
    graded: dict[float, tuple[float, Raw]] = field(default_factory=dict)  # target -> (score, criteria)

    def grade_for(self, target: float) -> tuple[float, Raw]:
        """A score near `target` and the per-criterion points that make it up."""
        key = round(max(0.0, min(5.0, target)) * 2) / 2
        if key not in self.graded:
            share = key / 5
            points = [round(p * share * 2) / 2 for _, p in self.rubric]
            criteria = [
                {"criterion": text, "points": got, "max_points": most, "evidence": ""}
                for (text, most), got in zip(self.rubric, points, strict=True)
            ]
            total = sum(most for _, most in self.rubric) or 1
            score = round(5 * sum(points) / total, 2)
            self.graded[key] = (score, Raw(cell(criteria)))
        return self.graded[key]


def long_tail(total: int, n: int, exponent: float, rng: random.Random) -> list[int]:
    """`total` split over n holders by rank^-exponent, shuffled so rank is not the id order."""
    if n <= 0:
        return []
    weights = [(rank + 1) ** -exponent for rank in range(n)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % n] += 1
    rng.shuffle(counts)
    return counts


class ScaleSeeder:
    def __init__(self, sizes: Sizes, seed: int = 13, log: Callable[[str], None] = print) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.log = log
        self.now = timezone.now().replace(microsecond=0)
        self.year_ago = self.now - 365 * DAY

    # -- tables ---------------------------------------------------------------------------
    def _writers(self) -> None:
        self.users = TableWriter(
            "accounts_user",
            [
                "password",
                "last_login",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
            ],
        )
        self.emails = TableWriter("account_emailaddress", ["email", "verified", "primary", "user_id"])
        self.orgs = TableWriter("accounts_organization", ["name", "slug", "created_at"])
        self.memberships = TableWriter("accounts_membership", ["role", "created_at", "user_id", "organization_id"])
        self.sets = TableWriter(
            "interviews_questionset",
            ["title", "time_limit_minutes", "created_at", "organization_id", "owner_id", "posting_id", "template_id"],
        )
        self.items = TableWriter("interviews_questionsetitem", ["order", "question_id", "question_set_id"])
        self.sessions = TableWriter(
            "interviews_interviewsession",
            ["mode", "started_at", "finished_at", "candidate_id", "posting_id", "question_set_id", "deadline"],
        )
        self.answers = TableWriter(
            "interviews_answer",
            [
                "text",
                "time_spent_seconds",
                "submitted_at",
                "session_id",
                "question_id",
                "question_version_id",
                "counted_grade_id",
                "override_id",
            ],
        )
        self.grades = TableWriter(
            "interviews_grade",
            [
                "status",
                "requested_grader",
                "grader",
                "model_name",
                "prompt_version",
                "rubric_version",
                "fallback_reason",
                "score",
                "confidence",
                "needs_review",
                "cost_usd",
                "criteria",
                "summary",
                "attempts",
                "tokens_in",
                "tokens_out",
                "latency_ms",
                "error",
                "queued_at",
                "started_at",
                "finished_at",
                "answer_id",
                "requested_by_id",
                "task_id",
            ],
        )
        self.overrides = TableWriter(
            "hiring_scoreoverride",
            ["score", "criteria", "comment", "created_at", "answer_id", "grade_id", "reviewer_id"],
        )
        self.invites = TableWriter(
            "hiring_assessmentinvite",
            [
                "email",
                "token",
                "created_at",
                "expires_at",
                "invited_by_id",
                "question_set_id",
                "session_id",
                "accepted_at",
                "send_error",
                "sent_at",
            ],
        )
        self.events = TableWriter("hiring_assessmentevent", ["kind", "chars", "at", "question_id", "session_id"])
        self.revisits = TableWriter(
            "interviews_revisitschedule", ["card", "due", "last_rating", "question_id", "user_id"]
        )
        self.postings = TableWriter(
            "interviews_posting",
            [
                "title",
                "company",
                "raw_text",
                "seniority",
                "source",
                "analysis_method",
                "created_at",
                "owner_id",
                "llm_analysis_pending",
            ],
        )
        self.requirements = TableWriter("interviews_requirement", ["order", "text", "section", "posting_id"])
        self.requirement_skills = TableWriter(
            "interviews_requirementskill", ["weight", "evidence", "method", "requirement_id", "skill_id"]
        )

    def run(self) -> dict[str, object]:
        started = time.perf_counter()
        with transaction.atomic():
            self._load_bank()
            with connection.cursor() as cursor:
                # The foreign-key triggers would check ~5 keys per row at commit, longer than
                # the COPY itself; the rows are made consistent here and the tests check every
                # key of a seeded database (tests/test_seed_scale.py). Needs a superuser.
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            self._writers()
            self._people()
            self._teams()
            self._assessments()
            self._practice()
            self._postings()
            generated = time.perf_counter()
            self.log(f"generated in {generated - started:.0f} s; copying in")
            counts = {
                w.table: w.copy_in()
                for w in (
                    self.users, self.emails, self.orgs, self.memberships, self.postings, self.requirements,
                    self.requirement_skills, self.sets, self.items, self.sessions, self.answers, self.grades,
                    self.overrides, self.invites, self.events, self.revisits,
                )
            }  # fmt: skip
            copied = time.perf_counter()
            self.log(f"copied in {copied - generated:.0f} s")
            with connection.cursor() as cursor:
                # Statistics for the rebuilds' joins: without them the planner took the freshly
                # copied tables for empty, and the review queue's rebuild ran for over 10
                # minutes at 1M answers instead of seconds.
                cursor.execute("ANALYZE")
            # The summary rows the grades landing would have kept: progress, review queues.
            summary.rebuild()
            history.rebuild()
            review_entries.rebuild()
            self.log(f"progress summaries in {time.perf_counter() - copied:.0f} s")
        with connection.cursor() as cursor:
            # VACUUM also sets the visibility map (as autovacuum would in a running
            # installation), without which the covering score indexes still visit every row;
            # it cannot run inside a transaction (a test's), where ANALYZE alone does.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return {
            "counts": counts,
            "busiest_candidate": self.busiest_candidate,
            "biggest_team": self.biggest_team,
            "seconds": round(time.perf_counter() - started, 1),
            "sizes": asdict(self.sizes),
        }

    # -- the bank -------------------------------------------------------------------------
    def _load_bank(self) -> None:
        questions = list(Question.objects.usable().prefetch_related("criteria", "skills").order_by("pk"))
        if not questions:
            raise RuntimeError("The question bank is empty: run `manage.py load_bank` first.")
        self.bank: list[BankQuestion] = []
        self.by_skill: dict[int, list[BankQuestion]] = {}
        for q in questions:
            version = QuestionVersion.snapshot(q)
            words = q.reference_answer.split()
            texts = [Raw(cell(" ".join(words[: max(8, int(len(words) * share))]))) for share in (0.3, 0.6, 0.9)]
            bank_question = BankQuestion(q.pk, version.pk, q.difficulty, q.rubric(), q.rubric_version(), texts)
            self.bank.append(bank_question)
            for skill in q.skills.all():
                self.by_skill.setdefault(skill.pk, []).append(bank_question)
        self.skills = list(Skill.objects.values_list("pk", "name"))

    # -- people ---------------------------------------------------------------------------
    def _user(self, email: str, joined: datetime) -> int:
        pk = self.users.add(self.password, None, False, "", "", False, True, joined, email)
        self.emails.add(email, True, True, pk)
        return pk

    def _people(self) -> None:
        self.password = make_password(PASSWORD)
        self.candidates: list[tuple[int, str, float, datetime]] = []  # pk, email, ability, joined
        for n in range(self.sizes.candidates):
            email = f"candidate{n}@{EMAIL_DOMAIN}"
            joined = self.year_ago + self.rng.random() * 300 * DAY
            ability = self.rng.betavariate(4, 3)
            self.candidates.append((self._user(email, joined), email, ability, joined))

    def _teams(self) -> None:
        # team -> (org pk, manager pk, reviewer pks); its sets: (set pk, [question], created)
        self.teams: list[tuple[int, int, list[int]]] = []
        self.team_sets: list[tuple[int, int, list[BankQuestion], datetime]] = []  # team index, set pk, ...
        self.set_titles: dict[int, str] = {}
        set_counts = long_tail(self.sizes.sets, self.sizes.teams, 0.8, self.rng)
        for t in range(self.sizes.teams):
            created = self.year_ago + self.rng.random() * 60 * DAY
            org = self.orgs.add(f"Scale team {t}", f"scale-team-{t}", created)
            manager = self._user(f"manager{t}@{EMAIL_DOMAIN}", created)
            self.memberships.add("manager", created, manager, org)
            reviewers = []
            for r in range(1 + t % 3):
                reviewer = self._user(f"reviewer{t}-{r}@{EMAIL_DOMAIN}", created)
                self.memberships.add("reviewer", created, reviewer, org)
                reviewers.append(reviewer)
            self.teams.append((org, manager, reviewers))
            for s in range(set_counts[t]):
                questions = self.rng.sample(self.bank, self.rng.randint(5, 10))
                made = created + self.rng.random() * 30 * DAY
                set_pk = self.sets.add(f"Team {t} assessment {s}", 60, made, org, None, None, None)
                self.set_titles[set_pk] = f"Team {t} assessment {s}"
                for order, q in enumerate(questions):
                    self.items.add(order, q.pk, set_pk)
                self.team_sets.append((t, set_pk, questions, made))
        biggest = max(range(len(set_counts)), key=lambda t: set_counts[t], default=None)
        self.biggest_team = f"scale-team-{biggest}" if biggest is not None else ""

    # -- grading, as the app records it ---------------------------------------------------
    def _graded_answer(
        self, session: int, q: BankQuestion, ability: float, at: datetime, spent: int, reviewers: list[int] | None
    ) -> float:
        """An answer with its grade(s), its counted grade and maybe an override; returns the
        score that counts."""
        rng = self.rng
        answer = self.answers.reserve()
        target = 5 * ability + 0.5 * (3 - q.difficulty) + rng.gauss(0, 1.0)
        grades = [target + rng.gauss(0, 1.2), target] if rng.random() < REGRADED else [target]
        counted = 0
        score = 0.0
        for n, value in enumerate(grades):
            score, criteria = q.grade_for(value)
            queued = (at + timedelta(seconds=1 + n * 86400)).isoformat()
            confidence = round(rng.uniform(0.25, 0.97), 3)
            review = "t" if confidence < 0.5 else "f"
            # task_id empty: no message in flight, graded long ago.
            counted = self.grades.add_line(
                f"done\tauto\toffline\t\toffline-v1\t{q.rubric_version}\t\t{score}\t{confidence}\t{review}\t0\t"
                f"{criteria}\t{GRADE_SUMMARY}\t1\t0\t0\t900\t\t{queued}\t{queued}\t{queued}\t{answer}\t\\N\t"
            )
        override = "\\N"
        if reviewers and rng.random() < OVERRIDDEN:
            score, criteria = q.grade_for(score + rng.gauss(0, 0.8))
            override = str(
                self.overrides.add(
                    score, criteria, "Checked against the rubric.", at + rng.uniform(1, 5) * DAY, answer, counted,
                    rng.choice(reviewers),
                )
            )  # fmt: skip
        text = q.texts[rng.randrange(len(q.texts))]
        self.answers.add_line(
            f"{text}\t{spent}\t{at.isoformat()}\t{session}\t{q.pk}\t{q.version}\t{counted}\t{override}", pk=answer
        )
        return score

    # -- hiring teams' assessments --------------------------------------------------------
    def _assessments(self) -> None:
        rng = self.rng
        per_set = [max(0.0, rng.lognormvariate(0, 0.8)) for _ in self.team_sets]
        total = sum(per_set) or 1.0
        counts = [int(self.sizes.attempts * w / total) for w in per_set]
        for i in range(self.sizes.attempts - sum(counts)):
            counts[i % len(counts)] += 1
        self.assessment_answers = 0
        for team_set, attempts in zip(self.team_sets, counts, strict=True):
            team, set_pk, _, made = team_set
            org, manager, reviewers = self.teams[team]
            for _ in range(attempts):
                self._attempt(team_set, org, manager, [*reviewers, manager])
            for _ in range(attempts // 12):  # invitations nobody has opened yet, some expired
                created = made + rng.random() * (self.now - made)
                email = self.candidates[rng.randrange(len(self.candidates))][1]
                self.invites.add(
                    email, secrets.token_urlsafe(32), created, created + 7 * DAY, manager, set_pk, None, None, "",
                    created,
                )  # fmt: skip

    def _attempt(
        self, team_set: tuple[int, int, list[BankQuestion], datetime], org: int, manager: int, reviewers: list[int]
    ) -> None:
        """One candidate's attempt, as accepting an invitation makes it: a frozen copy of the
        team's set (the team's, pointing at its template), the session, the invitation."""
        _team, set_pk, questions, made = team_set
        title = self.set_titles[set_pk]
        rng = self.rng
        candidate, email, ability, _ = self.candidates[rng.randrange(len(self.candidates))]
        fate = rng.random()
        if fate < 0.02:  # taking it now
            start = self.now - timedelta(minutes=rng.uniform(1, 30))
            answered, finished = rng.randrange(len(questions)), None
        else:
            start = made + rng.random() * (self.now - made - DAY)
            if fate < 0.07:  # the clock closed it
                answered, finished = rng.randrange(1, len(questions)), start + timedelta(minutes=60)
            else:
                answered, finished = len(questions), start + timedelta(minutes=rng.uniform(15, 58))
        frozen = self.sets.add(title, 60, start, org, None, None, set_pk)
        for order, q in enumerate(questions):
            self.items.add(order, q.pk, frozen)
        session = self.sessions.add("assessment", start, finished, candidate, None, frozen, start + timedelta(hours=1))
        invited = start - rng.uniform(1, 72) * timedelta(hours=1)
        self.invites.add(
            email, secrets.token_urlsafe(32), invited, invited + 7 * DAY, manager, set_pk, session, start, "", invited
        )
        at = start
        for q in questions[:answered]:
            spent = rng.randint(60, 420)
            at += timedelta(seconds=spent)
            self._graded_answer(session, q, ability, at, spent, reviewers)
            self.assessment_answers += 1
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
            kind = rng.choice(("paste", "blur", "focus"))
            chars = rng.randint(20, 800) if kind == "paste" else None
            when = start + timedelta(seconds=rng.randint(0, 3000))
            self.events.add(kind, chars, when, rng.choice(questions).pk, session)

    # -- practice -------------------------------------------------------------------------
    def _practice(self) -> None:
        total = max(0, self.sizes.answers - self.assessment_answers)
        counts = long_tail(total, len(self.candidates), 0.6, self.rng)
        busiest = max(range(len(counts)), key=lambda i: counts[i], default=None)
        self.busiest_candidate = self.candidates[busiest][1] if busiest is not None else ""
        skill_ids = list(self.by_skill)
        for (candidate, _, ability, joined), n in zip(self.candidates, counts, strict=True):
            if n:
                favourites = [q for s in self.rng.sample(skill_ids, min(3, len(skill_ids))) for q in self.by_skill[s]]
                self._practice_of(candidate, ability, joined, n, favourites)

    def _practice_of(
        self, candidate: int, ability: float, joined: datetime, n: int, favourites: list[BankQuestion]
    ) -> None:
        rng = self.rng
        sizes: list[int] = []
        while sum(sizes) < n:
            sizes.append(min(rng.randint(4, 10), n - sum(sizes)))
        span = (self.now - joined).total_seconds()
        starts = sorted(joined + timedelta(seconds=rng.random() * span) for _ in sizes)
        last: dict[int, tuple[datetime, float]] = {}
        for size, start in zip(sizes, starts, strict=True):
            picked: dict[int, BankQuestion] = {}
            while len(picked) < size:
                q = rng.choice(favourites) if favourites and rng.random() < 0.6 else rng.choice(self.bank)
                picked[q.pk] = q
            question_set = self.sets.add("Practice", None, start, None, candidate, None, None)
            at = start
            for order, q in enumerate(picked.values()):
                self.items.add_line(f"{order}\t{q.pk}\t{question_set}")
            session = self.sessions.reserve()
            for q in picked.values():
                spent = rng.randint(45, 600)
                at += timedelta(seconds=spent)
                last[q.pk] = (at, self._graded_answer(session, q, ability, at, spent, None))
            # Every question answered: finished with the last answer, as submit_answer does.
            self.sessions.add("practice", start, at, candidate, None, question_set, None, pk=session)
        for question, (at, score) in last.items():
            rating = 1 if score < 2 else 2 if score < 3 else 3 if score < 4.5 else 4
            interval = {1: 1, 2: 3, 3: 10, 4: 30}[rating] * (1 + rng.random())
            due = at + interval * DAY
            card = {
                "card_id": question * 1_000_003 + candidate, "state": 2, "step": None,
                "stability": round(interval, 2), "difficulty": round(10 - 2 * rating + rng.random(), 2),
                "due": due.isoformat(), "last_review": at.isoformat(),
            }  # fmt: skip
            self.revisits.add(card, due, rating, question, candidate)

    # -- postings -------------------------------------------------------------------------
    def _postings(self) -> None:
        owners = [c for c in self.candidates if c[1] == self.busiest_candidate or self.rng.random() < 0.05]
        sections = ("must", "must", "nice", "responsibility")
        for candidate, email, _, joined in owners:
            for p in range(4 if email == self.busiest_candidate else self.rng.randint(1, 4)):
                created = joined + self.rng.random() * (self.now - joined)
                lines = []
                posting = self.postings.reserve()
                for order in range(self.rng.randint(6, 12)):
                    linked = self.rng.sample(self.skills, self.rng.choice((1, 1, 2)))
                    text = "Experience with " + " and ".join(name for _, name in linked)
                    lines.append(f"- {text}")
                    requirement = self.requirements.add(order, text, self.rng.choice(sections), posting)
                    for skill, name in linked:
                        self.requirement_skills.add(
                            round(self.rng.uniform(0.6, 1.0), 2), name, "synonym", requirement, skill
                        )
                self.postings.add(
                    f"ML engineer {p}", f"Company {candidate % 97}", "\n".join(lines), "mid", "", "offline", created,
                    candidate, False, pk=posting,
                )  # fmt: skip
