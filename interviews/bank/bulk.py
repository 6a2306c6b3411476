"""New bank questions created together: three INSERTs for the whole bank instead of four
queries a question. An empty database takes the whole bank on its first load (`make run`,
and every test that uses the bank), where this took most of the time."""

from collections.abc import Sequence

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
