"""A PostgreSQL database at rest before a benchmark times anything (scripts/bench_import.py,
scripts/bench_fetch.py).

At 200,000 rows the work before a timed phase (an undo, a truncate, a bulk insert, a previous
run) leaves work that PostgreSQL does in the background: autovacuum of the match table and its
GIN indexes, and a checkpoint. Run beside the next phase on two cores it slowed that phase by a
third, so the time per row seemed to grow with the size when it grew with what ran before. This
does that work first: wait for autovacuum on this database, then VACUUM (ANALYZE) and CHECKPOINT.
"""

import time
from collections.abc import Sequence


def settle_database(tables: Sequence[str]) -> None:
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'autovacuum worker'"
            )
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.5)
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError:  # needs superuser or pg_checkpoint; the vacuum is the larger part
            pass
