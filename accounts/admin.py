from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import audit
from accounts.models import Membership, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        """Staff change memberships only here: audit each added, re-roled or removed member.
        The admin saves in one transaction, so the events commit or roll back with it."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        organization = form.instance
        roles = dict(Membership.objects.filter(organization=organization).values_list("pk", "role"))
        for removed in [f.instance for f in formset.deleted_forms if f.instance.pk is not None]:
            audit.record(
                organization,
                request.user,
                audit.Action.MEMBERSHIP_REMOVED,
                removed,
                before={"user": removed.user.email, "role": roles.get(removed.pk)},
                label=removed.user.email,
            )
        super().save_formset(request, form, formset, change)
        for added in formset.new_objects:
            audit.record(
                organization,
                request.user,
                audit.Action.MEMBERSHIP_ADDED,
                added,
                after={"user": added.user.email, "role": added.role},
                label=added.user.email,
            )
        for changed, fields in formset.changed_objects:
            if "role" in fields:
                audit.record(
                    organization,
                    request.user,
                    audit.Action.MEMBERSHIP_ROLE_CHANGED,
                    changed,
                    before={"role": roles.get(changed.pk)},
                    after={"role": changed.role},
                    label=changed.user.email,
                )
