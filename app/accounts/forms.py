"""The login forms of the site and of the admin, with the throttle (services.login_guard) in front."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from app.accounts import dispatch
from app.accounts.services import login_guard
from app.accounts.services.login_guard import Refusal
from app.accounts.throttling import client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    refusal: Refusal | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        request = getattr(self, "request", None)
        ip = client_ip(request) if request is not None else ""
        self.refusal = login_guard.login_refusal(username=username, ip=ip)
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message, code=self.refusal.code)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if getattr(self, "user_cache", None) is None:  # a wrong password, not an inactive account
                dispatch.send_lockout_notices(login_guard.record_login_failure(username=username, ip=ip))
            raise
        login_guard.record_login_success(username=username)
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    pass
