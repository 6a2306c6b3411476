from interviews.models.grading import Grade
from interviews.models.postings import Posting, Requirement, RequirementSkill
from interviews.models.progress import DailyScore, QuestionHistory, RevisitSchedule, SkillScore
from interviews.models.questions import Question, QuestionSet, QuestionSetItem, QuestionVersion, RubricCriterion
from interviews.models.sessions import Answer, Draft, InterviewSession
from interviews.models.skills import Skill, SkillArea

__all__ = [
    "Answer",
    "DailyScore",
    "Draft",
    "Grade",
    "InterviewSession",
    "Posting",
    "Question",
    "QuestionHistory",
    "QuestionSet",
    "QuestionSetItem",
    "QuestionVersion",
    "Requirement",
    "RequirementSkill",
    "RevisitSchedule",
    "RubricCriterion",
    "Skill",
    "SkillArea",
    "SkillScore",
]
