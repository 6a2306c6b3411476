from django.urls import path

from interviews.views import candidate, progress

urlpatterns = [
    path("", candidate.home, name="home"),
    path("dashboard/", candidate.dashboard, name="dashboard"),
    path("postings/new/", candidate.posting_new, name="posting_new"),
    path("postings/<int:pk>/", candidate.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/analysis/", candidate.posting_analysis_status, name="posting_analysis_status"),
    path("postings/<int:pk>/start/", candidate.interview_start, name="interview_start"),
    path("interviews/<int:pk>/", candidate.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/answer/", candidate.answer_submit, name="answer_submit"),
    path("interviews/<int:pk>/run/", candidate.code_run, name="code_run"),
    path("interviews/<int:pk>/draft/", candidate.draft_save, name="draft_save"),
    path("interviews/<int:pk>/revisit-later/", candidate.revisit_later, name="revisit_later"),
    path("interviews/<int:pk>/skip/", candidate.question_mark, {"mark": "skip"}, name="question_skip"),
    path("interviews/<int:pk>/flag/", candidate.question_mark, {"mark": "flag"}, name="question_flag"),
    path("grades/<int:pk>/", candidate.grade_status, name="grade_status"),
    path("progress/", progress.progress, name="progress"),
    path("practice/", progress.practice_start, name="practice_start"),
]
