from django.urls import path

from accounts import views

urlpatterns = [
    path("orgs/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("orgs/<slug:slug>/invite/", views.organization_invite, name="organization_invite"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
