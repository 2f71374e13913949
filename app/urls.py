from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Maç Merkezi yönetimi")
admin.site.site_title = _("Maç Merkezi")
admin.site.index_title = _("Yönetim paneli")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hesap/", include("app.accounts.urls")),
    path("ice-aktar/", include("app.imports.urls")),
    path("saglik/", include("app.health.urls")),
    path("", include("app.fetching.urls")),
    path("", include("app.web.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
