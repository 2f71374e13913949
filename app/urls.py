from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

admin.site.site_header = _("Maç Merkezi yönetimi")
admin.site.site_title = _("Maç Merkezi")
admin.site.index_title = _("Yönetim paneli")
# The app list stays on the index page; on every other page the sidebar took 300 of 1366 pixels.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    # Without CSRF: the public pages' language form must not hand every anonymous visitor a CSRF
    # cookie, or no page could be shared by the caches (app.web.page_cache, nginx). The worst a
    # forged request can do here is switch a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("hesap/", include("app.accounts.urls")),
    path("ice-aktar/", include("app.imports.urls")),
    path("saglik/", include("app.health.urls")),
    path("", include("app.fetching.urls")),
    path("", include("app.web.urls")),
]

# No route to MEDIA_ROOT, not even with DEBUG: what it holds is uploaded Excel files, private data
# (nginx refuses /media/imports/ too).

handler403 = "app.web.errors.permission_denied"
