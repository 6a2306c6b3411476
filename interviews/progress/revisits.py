"""Spaced repetition with FSRS (the `fsrs` package): every finished grade rates the
question for the candidate, and "try again later" asks to revisit it soon."""

from django.db import transaction
from fsrs import Card, Rating, Scheduler

__all__ = ["Rating", "rating_for", "schedule_revisit"]

from accounts.models import User
from interviews.models import Question
from interviews.models.progress import RevisitSchedule

SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(score: float) -> Rating:
    """A 0-5 grade as FSRS's four recall ratings."""
    if score < 2:
        return Rating.Again
    if score < 3:
        return Rating.Hard
    if score < 4.5:
        return Rating.Good
    return Rating.Easy


def schedule_revisit(user: User, question: Question, rating: Rating) -> RevisitSchedule:
    # Locked while read and rewritten: two grades of the question landing together must
    # both be reviews of the card, not two reviews of the same old card. No savepoint inside
    # a grade's transaction, which rolls back whole on an error.
    with transaction.atomic(savepoint=False):
        schedule = RevisitSchedule.objects.select_for_update().filter(user=user, question=question).first()
        if schedule is None:
            card, _ = SCHEDULER.review_card(Card(), rating)
            # An upsert: a schedule another grade created meanwhile is updated, not duplicated
            # (update_or_create's outcome in one query rather than four with its savepoint).
            (schedule,) = RevisitSchedule.objects.bulk_create(
                [
                    RevisitSchedule(
                        user=user, question=question, card=card.to_dict(), due=card.due, last_rating=int(rating)
                    )
                ],
                update_conflicts=True,
                unique_fields=["user", "question"],
                update_fields=["card", "due", "last_rating"],
            )
            return schedule
        card, _ = SCHEDULER.review_card(Card.from_dict(schedule.card) if schedule.card else Card(), rating)
        schedule.card, schedule.due, schedule.last_rating = card.to_dict(), card.due, int(rating)
        schedule.save(update_fields=["card", "due", "last_rating"])
        return schedule
