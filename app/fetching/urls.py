from django.urls import path, re_path

from app.fetching import views

app_name = "fetching"
urlpatterns = [
    path("veri-cek/", views.start_fetch, name="start"),
    path("veri-cek/<int:run_id>/", views.run_detail, name="run"),
    re_path(
        r"^veri-cek/(?P<run_id>[0-9]+)/(?P<action>durdur|surdur|yeniden-dene)/$", views.run_action, name="run_action"
    ),
    path("api/fetch-runs/<int:run_id>/", views.run_status_json, name="run_status"),
]
