from django.urls import path

from app.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("lig/", views.default_table, name="default_table"),
    path("lig/<slug:competition>/", views.competition, name="competition"),
    path("lig/<slug:competition>/<str:season>/", views.league_table, name="league_table"),
    path("maclar/", views.matches, name="matches"),
    path("takim/<slug:slug>/", views.team, name="team"),
    path("mac/<str:external_id>/", views.match, name="match"),
]
