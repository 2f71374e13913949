from django.urls import path

from app.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload_page, name="upload"),
    path("<int:pk>/", views.detail_page, name="detail"),
    path("<int:pk>/baslat/", views.start_page, name="start"),
    path("<int:pk>/eslestir/", views.mapping_page, name="mapping"),
    path("sablon.xlsx", views.template_download, name="template"),
    path("<int:pk>/durum/", views.status_json, name="status"),
    path("disa-aktar/", views.export_page, name="export"),
]
