from interviews.models.grading import Grade
from interviews.models.postings import Posting, Requirement, RequirementSkill
from interviews.models.progress import RevisitSchedule
from interviews.models.questions import Question, QuestionSet, QuestionSetItem, QuestionVersion, RubricCriterion
from interviews.models.sessions import Answer, Draft, InterviewSession
from interviews.models.skills import Skill, SkillArea

__all__ = [
    "Answer",
    "Draft",
    "Grade",
    "InterviewSession",
    "Posting",
    "Question",
    "QuestionSet",
    "QuestionSetItem",
    "QuestionVersion",
    "Requirement",
    "RequirementSkill",
    "RevisitSchedule",
    "RubricCriterion",
    "Skill",
    "SkillArea",
]
