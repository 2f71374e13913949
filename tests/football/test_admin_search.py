"""The admin's match search: what it finds, at a constant query cost, through the trigram indexes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from app.football.models import Match, TeamAlias
from tests.factories import make_match, make_team


def found(admin_client, query: str) -> set[str]:
    response = admin_client.get(reverse("admin:football_match_changelist"), {"q": query})
    assert response.status_code == 200
    return {match.external_id for match in response.context["cl"].result_list}


@pytest.mark.django_db
def test_search_finds_teams_by_any_spelling_or_alias_and_every_word_must_match(admin_client):
    besiktas, fener, goztepe = make_team("Beşiktaş"), make_team("Fenerbahçe"), make_team("Göztepe")
    TeamAlias.objects.create(team=fener, name="Fener")
    make_match(home=besiktas, away=fener, external_id="derby", city="İstanbul", tournament="Süper Lig")
    make_match(home=goztepe, away=besiktas, external_id="away-day", city="İzmir", tournament="Türkiye Kupası")
    make_match(home=fener, away=goztepe, external_id="x-777", city="İstanbul", tournament="Süper Lig")

    assert found(admin_client, "BESIKTAS") == {"derby", "away-day"}  # home or away, Turkish letters folded
    assert found(admin_client, "fener") == {"derby", "x-777"}  # the name and the alias
    assert found(admin_client, "beşiktaş fener") == {"derby"}  # every word must match
    assert found(admin_client, "Kupası") == {"away-day"}  # tournament
    assert found(admin_client, "İzmir") == {"away-day"}
    assert found(admin_client, "777") == {"x-777"}  # external id
    assert found(admin_client, '"Süper Lig" göztepe') == {"x-777"}  # a quoted phrase stays one word


@pytest.mark.django_db
def test_search_costs_a_constant_number_of_queries(admin_client):
    team = make_team("Galatasaray")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert found(admin_client, "Galatasaray") is not None
        return len(queries)

    make_match(home=team)
    few = count_queries()
    for _ in range(30):
        make_match(home=team)
    assert count_queries() == few <= 8


@pytest.mark.django_db
@pytest.mark.postgres_only("the trigram indexes are PostgreSQL's")
def test_search_reads_the_trigram_indexes_instead_of_every_match():
    from app.football.selectors import search_matches

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny test table would otherwise be scanned
        sql, params = search_matches(Match.objects.order_by(), "Kupası").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "match_tournament_trgm" in plan and "match_city_trgm" in plan, plan
