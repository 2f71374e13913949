"""Control characters and broken UTF-8 in an address are a 400 page, in the reader's language."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["sezon=%00", "sezon=a%00b", "%00=1", "sezon=%FF", "sezon=%1B", "_to_field="])
def test_invalid_query_input_is_a_400_page(client, query):
    response = client.get(f"/lig/super-lig/?{query}")

    assert response.status_code == 400
    assert "Hatalı istek" in response.content.decode()


@pytest.mark.django_db
def test_invalid_path_input_is_a_400_page_in_english_for_english_readers(client):
    response = client.get("/takim/a%00b/", headers={"accept-language": "en"})

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_a_line_break_in_a_search_is_not_refused(admin_client):
    assert admin_client.get("/admin/football/team/?q=Galatasaray%0D%0A").status_code == 200
