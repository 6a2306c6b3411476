"""Writing bank questions, text and coding alike. New ones are created together: three
INSERTs for the whole bank instead of four queries a question. An empty database takes the
whole bank on its first load (`make run`, and every test that uses the bank), where this
took most of the time. A question whose file changed is rewritten in place."""

from collections.abc import Sequence
from typing import Any

from interviews.models import Question, RubricCriterion, Skill

# A question not yet saved, its skills, and its rubric as (text, points).
NewQuestion = tuple[Question, list[Skill], Sequence[tuple[str, float]]]


def create_questions(rows: list[NewQuestion]) -> None:
    Question.objects.bulk_create([question for question, _, _ in rows])  # sets their pks
    through = Question.skills.through
    through.objects.bulk_create(
        through(question_id=question.pk, skill_id=skill.pk)
        for question, skills, _ in rows
        for skill in dict.fromkeys(skills)  # a skill listed twice is one row, as .set() makes it
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=question, order=i, text=text, points=points)
        for question, _, rubric in rows
        for i, (text, points) in enumerate(rubric)
    )


def rewrite_question(
    question: Question, fields: dict[str, Any], skills: list[Skill], rubric: Sequence[tuple[str, float]]
) -> None:
    """A saved question whose file changed: its fields, skills and rubric replaced."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    question.skills.set(skills)
    question.criteria.all().delete()
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=question, order=i, text=text, points=points) for i, (text, points) in enumerate(rubric)
    )
