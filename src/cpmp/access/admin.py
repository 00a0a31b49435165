"""The administration pages: accounts, their roles, second factors and lockouts, nothing else.

Only people holding the administrator role, signed in with their second factor, may open them.
Django's ``is_staff`` and ``is_superuser`` flags grant nothing here. No authorisation, import
or audit model is registered, so the pages show no operational content.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import OrganisationIdentity, RoleAssignment, User
from .predicates import can_manage_accounts, has_passed_second_factor


class AccountsAdminSite(admin.AdminSite):
    site_header = "CPMP accounts and roles"
    site_title = "CPMP accounts and roles"
    index_title = "Accounts and roles"
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            user.is_authenticated
            and has_passed_second_factor(user)
            and can_manage_accounts(user, timezone.now())
        )

    def admin_view(  # type: ignore[override]
        self, view: Callable[..., Any], cacheable: bool = False
    ) -> Callable[..., Any]:
        """Show the service's 403 page to a signed-in person without the role.

        Django's own admin would send them to its sign-in form instead.
        """
        inner = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                return render(request, "403.html", status=403)
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Use the service's sign-in page, with its lockout and second factor."""
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        view = LogoutView.as_view(next_page=reverse_lazy("web:login"))
        return view(request)


admin_site = AccountsAdminSite(name="admin")


class AccountManagerPermissions:
    """Grant a model admin's permissions by the administrator role, not Django's permissions."""

    admin_site: AccountsAdminSite

    def _allowed(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)


def _is_own_account(request: HttpRequest, obj: Model | None) -> bool:
    return obj is not None and obj.pk == request.user.pk


class RoleAssignmentInline(AccountManagerPermissions, admin.TabularInline):  # type: ignore[misc]
    """The person's roles. An administrator cannot change their own, so that no one alone can
    give themselves access to covert records."""

    model = RoleAssignment
    fields = ("role", "expires_at", "granted_at")
    readonly_fields = ("granted_at",)
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request) and not _is_own_account(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request) and not _is_own_account(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request) and not _is_own_account(request, obj)


class OrganisationIdentityInline(AccountManagerPermissions, admin.StackedInline):  # type: ignore[misc]
    model = OrganisationIdentity
    extra = 0
    max_num = 1
    verbose_name = "Organisation account (for sign-in with Microsoft Entra ID)"


class AuthenticatorAppInline(AccountManagerPermissions, admin.TabularInline):  # type: ignore[misc]
    """The person's TOTP devices. The secret key is never shown. Deleting one resets the second
    factor: the person sets up their app again at their next sign-in."""

    model = TOTPDevice
    fields = ("name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    extra = 0
    verbose_name = "Authenticator app"
    verbose_name_plural = "Authenticator apps (delete one to reset the person's second factor)"

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(User, site=admin_site)
class AccountAdmin(AccountManagerPermissions, UserAdmin):  # type: ignore[misc]
    """Accounts. An account is deactivated rather than deleted, so its history stays whole."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Person",
            {"fields": ("first_name", "last_name", "email", "rank", "warrant_number", "unit")},
        ),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "rank", "unit", "is_active")
    list_filter = ("is_active", "rank", "role_assignments__role")
    search_fields = ("username", "first_name", "last_name", "warrant_number", "email")
    ordering = ("username",)
    filter_horizontal = ()
    inlines = (RoleAssignmentInline, OrganisationIdentityInline, AuthenticatorAppInline)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AccessAttempt, site=admin_site)
class LockoutAdmin(AccountManagerPermissions, admin.ModelAdmin):  # type: ignore[misc]
    """Failed sign-ins counted toward lockout. Deleting a row unlocks that username and address."""

    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    fields = list_display
    readonly_fields = list_display
    search_fields = ("username",)
    ordering = ("-attempt_time",)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
