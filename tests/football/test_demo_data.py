import pytest

from app.football.models import Goal, Match, Team
from app.football.services.demo_data import load_demo_data
from app.football.services.teams import TeamResolver

pytestmark = pytest.mark.django_db


def test_loading_demo_data_twice_creates_nothing_new():
    first = load_demo_data(limit=400)
    counts = (Match.objects.count(), Team.objects.count(), Goal.objects.count())

    second = load_demo_data(limit=400)

    assert first.super_lig.created == 400 and first.international.created == 400
    assert second.super_lig.created == second.international.created == second.goals_created == 0
    assert second.super_lig.unchanged == 400
    assert (Match.objects.count(), Team.objects.count(), Goal.objects.count()) == counts


def test_ascii_and_turkish_spellings_are_one_team():
    resolver = TeamResolver(display_names={"Besiktas": "Beşiktaş"})

    team_id = resolver.id_for("Besiktas")

    assert resolver.id_for("Beşiktaş") == team_id
    assert TeamResolver().id_for("BEŞİKTAŞ") == team_id
    assert Team.objects.get(id=team_id).name == "Beşiktaş"


def test_alias_maps_a_different_name_to_the_same_team():
    resolver = TeamResolver(display_names={"Buyuksehyr": "Başakşehir"})
    team_id = resolver.id_for("Buyuksehyr")

    assert TeamResolver().id_for("Başakşehir") == team_id
    assert TeamResolver().id_for("buyuksehyr") == team_id
    assert Team.objects.get(id=team_id).aliases.filter(name="Buyuksehyr").exists()
