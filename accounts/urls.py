from django.urls import path

from accounts import views

urlpatterns = [
    path("orgs/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("orgs/<slug:slug>/audit/", views.organization_audit, name="organization_audit"),
    path("orgs/<slug:slug>/invite/", views.organization_invite, name="organization_invite"),
    path(
        "orgs/<slug:slug>/invitations/<int:pk>/resend/",
        views.organization_invitation_resend,
        name="organization_invitation_resend",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
