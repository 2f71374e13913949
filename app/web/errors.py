"""Error views: the site's own pages in the reader's language; the admin's 403 looks like the admin."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied as site_permission_denied


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(reverse("admin:index")) and request.user.is_active and request.user.is_staff:
        context = admin.site.each_context(request) | {"title": _("Erişim izni yok")}
        return render(request, "admin/403.html", context, status=403)
    return site_permission_denied(request, exception)
