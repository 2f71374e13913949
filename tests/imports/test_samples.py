"""The benchmark's scaling sample holds the same kinds of rows at every size."""

from app.football.competitions import SUPER_LIG
from app.imports.services.samples import scaling_sample_rows


def league_share(rows: list[list]) -> float:
    return sum(row[0] == SUPER_LIG.name for row in rows) / len(rows)


def test_every_size_has_the_same_mix_of_league_matches_and_internationals():
    small, beyond_the_shipped_data = scaling_sample_rows(5_000), scaling_sample_rows(150_000)

    assert len(small) == 5_000 and len(beyond_the_shipped_data) == 150_000
    assert abs(league_share(small) - league_share(beyond_the_shipped_data)) < 0.01
    assert 0.1 < league_share(small) < 0.25  # both kinds, as in the shipped data
    # Every row is a match of its own (copies carry their number in the team names) ...
    keys = {(row[2], row[3], row[4]) for row in beyond_the_shipped_data}
    assert len(keys) > 0.9999 * len(beyond_the_shipped_data)
    # ... and the small file spans the whole history, not its first years.
    assert min(row[2] for row in small).year < 1900 and max(row[2] for row in small).year > 2020
