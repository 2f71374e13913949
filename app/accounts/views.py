from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language

from app.accounts import dispatch
from app.accounts.forms import ThrottledAuthenticationForm
from app.accounts.services import login_guard
from app.accounts.throttling import client_ip

TOO_MANY_REQUESTS = 429


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = TOO_MANY_REQUESTS
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Counts the request, then leaves the lookup and the mail to a task: the answer takes the same
    time and says the same thing whether or not an account has the address."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        refusal = login_guard.password_reset_refusal(email=email, ip=client_ip(self.request))
        if refusal is not None:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=TOO_MANY_REQUESTS)
        dispatch.send_password_reset(email, get_language())
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The owner who proves they read the mail ends a lockout (docs/web.md: why)."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        login_guard.lift_lockouts(user_ids=[form.user.pk], lifted_by_id=None)
        return response
