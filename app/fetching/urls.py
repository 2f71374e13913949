from django.urls import path

from app.fetching import views

app_name = "fetching"
urlpatterns = [
    path("veri-cek/", views.start_fetch, name="start"),
    path("veri-cek/<int:run_id>/", views.run_detail, name="run"),
    path("api/fetch-runs/<int:run_id>/", views.run_status_json, name="run_status"),
]
