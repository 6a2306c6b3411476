from django.contrib import admin

from interviews.models import (
    Answer,
    Grade,
    InterviewSession,
    Posting,
    Question,
    QuestionSet,
    QuestionSetItem,
    Requirement,
    RequirementSkill,
    RubricCriterion,
    Skill,
    SkillArea,
)


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


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "difficulty", "origin", "status"]
    list_filter = ["kind", "difficulty", "origin", "status", "skills"]
    search_fields = ["slug", "prompt"]
    filter_horizontal = ["skills"]
    inlines = [RubricCriterionInline]


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    extra = 0
    autocomplete_fields = ["question"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "organization", "posting", "created_at"]
    inlines = [QuestionSetItemInline]


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
    fields = readonly_fields = ("status", "grader", "score", "attempts", "queued_at", "finished_at")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "session", "submitted_at"]
    inlines = [GradeInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["pk", "answer", "status", "grader", "score", "attempts", "queued_at"]
    list_filter = ["status", "grader"]
