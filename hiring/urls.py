from django.urls import path

from hiring.views import assessments, results, reviews, sets, team

urlpatterns = [
    path("team/", team.team_home, name="team_home"),
    path("orgs/<slug:slug>/sets/", sets.set_list, name="set_list"),
    path("orgs/<slug:slug>/review/", reviews.review_queue, name="review_queue"),
    path("sets/<int:pk>/", sets.set_detail, name="set_detail"),
    path("sets/<int:pk>/settings/", sets.set_settings, name="set_settings"),
    path("sets/<int:pk>/search/", sets.bank_search, name="bank_search"),
    path("sets/<int:pk>/add/", sets.item_add, name="item_add"),
    path("sets/<int:pk>/items/<int:item_pk>/up/", sets.item_move, {"offset": -1}, name="item_up"),
    path("sets/<int:pk>/items/<int:item_pk>/down/", sets.item_move, {"offset": 1}, name="item_down"),
    path("sets/<int:pk>/items/<int:item_pk>/remove/", sets.item_remove, name="item_remove"),
    path("sets/<int:pk>/items/<int:item_pk>/edit/", sets.question_edit, name="question_edit"),
    path("sets/<int:pk>/items/<int:item_pk>/private/", sets.item_make_private, name="item_make_private"),
    path(
        "sets/<int:pk>/proposals/<int:question_pk>/approve/",
        sets.proposal_decide,
        {"decision": "approve"},
        name="proposal_approve",
    ),
    path(
        "sets/<int:pk>/proposals/<int:question_pk>/discard/",
        sets.proposal_decide,
        {"decision": "discard"},
        name="proposal_discard",
    ),
    path("sets/<int:pk>/generate/", sets.set_generate, name="set_generate"),
    path("sets/<int:pk>/invite/", assessments.set_invite, name="set_invite"),
    path("sets/<int:pk>/invites/<int:invite_pk>/revoke/", assessments.invite_revoke, name="invite_revoke"),
    path("sets/<int:pk>/invites/<int:invite_pk>/resend/", assessments.invite_resend, name="invite_resend"),
    path("sets/<int:pk>/results/", results.set_results, name="set_results"),
    path("sets/<int:pk>/results/agreement/", results.set_agreement, name="set_agreement"),
    path("sets/<int:pk>/results.csv", results.set_results_csv, name="set_results_csv"),
    path("sets/<int:pk>/regrade-outdated/", results.set_regrade_outdated, name="set_regrade_outdated"),
    path("transcripts/<int:pk>/", results.transcript, name="transcript"),
    path("answers/<int:pk>/override/", reviews.answer_override, name="answer_override"),
    path("assessments/<str:token>/", assessments.assessment_invite, name="assessment_invite"),
    path("interviews/<int:pk>/events/", assessments.assessment_event, name="assessment_event"),
]
