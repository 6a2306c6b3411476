from django.contrib import admin

from hiring.models import AssessmentEvent, AssessmentInvite, ScoreOverride


@admin.register(AssessmentInvite)
class AssessmentInviteAdmin(admin.ModelAdmin):
    list_display = ["email", "question_set", "created_at", "expires_at", "session"]
    search_fields = ["email", "question_set__title"]
    raw_id_fields = ["question_set", "session", "invited_by"]
    exclude = ["token"]  # the link is the candidate's secret


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(admin.ModelAdmin):
    list_display = ["session", "kind", "chars", "question", "at"]
    list_filter = ["kind"]
    raw_id_fields = ["session", "question"]


@admin.register(ScoreOverride)
class ScoreOverrideAdmin(admin.ModelAdmin):
    list_display = ["answer", "reviewer", "score", "created_at"]
    raw_id_fields = ["answer", "grade", "reviewer"]
