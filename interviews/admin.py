from django.contrib import admin
from django.db.models import Q

from interviews.grading.service import regrade
from interviews.models import (
    Answer,
    Grade,
    InterviewSession,
    Posting,
    Question,
    QuestionSet,
    QuestionSetItem,
    QuestionVersion,
    Requirement,
    RequirementSkill,
    RubricCriterion,
    Skill,
    SkillArea,
)


def _regrade_action(grader: str):  # type: ignore[no-untyped-def]
    @admin.action(description=f"Regrade with the {grader} grader (keeps the earlier grades)")
    def action(modeladmin, request, queryset):  # type: ignore[no-untyped-def]
        answers = queryset if queryset.model is Answer else Answer.objects.filter(question_set_answers(queryset))
        grades = regrade(list(answers), grader, request.user)
        modeladmin.message_user(request, f"{len(grades)} answer(s) queued for the {grader} grader.")

    action.__name__ = f"regrade_{grader}"
    return action


def question_set_answers(queryset):  # type: ignore[no-untyped-def]
    return Q(session__question_set__in=queryset)


REGRADE_ACTIONS = [_regrade_action("offline"), _regrade_action("llm")]


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area"]
    list_filter = ["area"]
    search_fields = ["name", "slug"]


class RequirementSkillInline(admin.TabularInline):
    model = RequirementSkill
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["text", "section", "posting"]
    list_filter = ["section"]
    inlines = [RequirementSkillInline]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    show_change_link = True


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "seniority", "created_at"]
    list_filter = ["seniority"]
    search_fields = ["title", "company", "owner__email"]
    inlines = [RequirementInline]


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


class QuestionVersionInline(admin.TabularInline):
    """Read-only history: answers point at these, so they are never edited."""

    model = QuestionVersion
    extra = 0
    fields = readonly_fields = ("number", "created_at", "created_by", "prompt")
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "difficulty", "origin", "status", "organization"]
    list_filter = ["kind", "difficulty", "origin", "status", "skills"]
    search_fields = ["slug", "prompt"]
    filter_horizontal = ["skills"]
    inlines = [RubricCriterionInline, QuestionVersionInline]


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    extra = 0
    autocomplete_fields = ["question"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "organization", "posting", "created_at"]
    inlines = [QuestionSetItemInline]
    actions = REGRADE_ACTIONS  # regrades every answer given to the set


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = readonly_fields = ("question", "submitted_at", "time_spent_seconds")
    show_change_link = True


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ["question_set", "candidate", "mode", "started_at", "finished_at"]
    list_filter = ["mode"]
    inlines = [AnswerInline]


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0
    fields = readonly_fields = (
        "status",
        "requested_grader",
        "grader",
        "score",
        "confidence",
        "needs_review",
        "fallback_reason",
        "attempts",
        "queued_at",
        "finished_at",
    )


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "session", "submitted_at"]
    # Set by grading and by reviewers' overrides, never by hand: they are what counts.
    readonly_fields = ["counted_grade", "override"]
    inlines = [GradeInline]
    actions = REGRADE_ACTIONS


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["pk", "answer", "status", "grader", "score", "confidence", "needs_review", "attempts", "queued_at"]
    list_filter = ["status", "grader", "needs_review"]
