"""Login, logout, password change and password reset, with Django's views and our templates.

The URL names are Django's standard ones (`login`, `password_reset`, ...) so that admin and
third-party templates find them.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from app.accounts import views

# The mail itself is rendered by a task (services.mail, which names the templates).
password_reset = views.PasswordResetView.as_view(success_url=reverse_lazy("password_reset_done"))

urlpatterns = [
    # Not redirect_authenticated_user: a logged-in user sent here by @permission_required for a
    # page they may not see would bounce between that page and this one.
    path("giris/", views.LoginView.as_view(), name="login"),
    path("cikis/", auth_views.LogoutView.as_view(), name="logout"),
    path("sifre-degistir/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("sifre-degistir/tamam/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sifre-sifirla/", password_reset, name="password_reset"),
    # The admin login page shows a "forgotten your password?" link when this name exists.
    path("yonetim-sifre-sifirla/", password_reset, name="admin_password_reset"),
    path("sifre-sifirla/gonderildi/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sifre-sifirla/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("sifre-sifirla/tamam/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
