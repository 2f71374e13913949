from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from app.accounts.forms import ThrottledAdminAuthenticationForm
from app.accounts.models import LoginLockout
from app.accounts.services import login_guard

RECENT_LOCKOUTS = timedelta(days=30)


@admin.display(boolean=True, description=_("etkin"))
def active(lockout: LoginLockout) -> bool:
    return lockout.is_active


# The admin login is throttled by the same rule as the site's.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    list_display = ["user", "locked_at", "until", "failures", active, "lifted_at", "lifted_by", "notified_at"]
    list_filter = ["locked_at", "lifted_at"]
    list_select_related = ["user", "lifted_by"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "locked_at", "until", "failures", "lifted_at", "lifted_by", "notified_at"]
    actions = ["lift"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Kilidi kaldır"), permissions=["change"])
    def lift(self, request: HttpRequest, queryset: QuerySet[LoginLockout]) -> None:
        user_ids = list(queryset.values_list("user_id", flat=True).distinct())
        count = login_guard.lift_lockouts(user_ids=user_ids, lifted_by_id=request.user.pk)
        self.message_user(
            request,
            ngettext("%(count)d kilit kaldırıldı.", "%(count)d kilit kaldırıldı.", count) % {"count": count},
            messages.SUCCESS,
        )


class LoginLockoutInline(admin.TabularInline):
    """The account's recent lockouts on the user's page; lifting them is the lockout list's action."""

    model = LoginLockout
    fk_name = "user"
    fields = ("locked_at", "until", "failures", "active", "lifted_at", "lifted_by")
    readonly_fields = fields
    active = staticmethod(active)
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[LoginLockout]:
        return super().get_queryset(request).filter(locked_at__gte=timezone.now() - RECENT_LOCKOUTS)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    inlines = [*auth_admin.UserAdmin.inlines, LoginLockoutInline]
