"""Spaced repetition with FSRS (the `fsrs` package): every finished grade rates the
question for the candidate, and "try again later" asks to revisit it soon."""

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
    schedule = RevisitSchedule.objects.filter(user=user, question=question).first()
    card = Card.from_dict(schedule.card) if schedule and schedule.card else Card()
    card, _ = SCHEDULER.review_card(card, rating)
    schedule, _ = RevisitSchedule.objects.update_or_create(
        user=user, question=question, defaults={"card": card.to_dict(), "due": card.due, "last_rating": int(rating)}
    )
    return schedule
