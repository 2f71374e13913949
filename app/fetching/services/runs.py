"""Fetch runs: create, dispatch, process chunk by chunk, count, resume, retry, cancel.

A run's unit of truth is the FetchItem (one per requested provider id). Chunk tasks carry only
(run_id, chunk number), read their pending items from the database, fetch them one by one through
the rate-limited client, store the matches with idempotent upserts and only then mark the items
done. A worker killed at any point leaves its items pending; the redelivered task (acks_late) or
`resume_run` fetches exactly those again, and a second store of the same match changes nothing.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from app.fetching import dispatch
from app.fetching.models import FetchFailure, FetchItem, FetchRun
from app.fetching.providers import provider_module
from app.fetching.providers.base import (
    INVALID_PAYLOAD,
    RATE_LIMITED,
    MatchProvider,
    PermanentProviderError,
    ProviderError,
    ProviderMatch,
    TransientProviderError,
)
from app.fetching.services.mapping import provider_match_problem, store_matches
from app.fetching.services.rate_limit import provider_bucket

logger = logging.getLogger(__name__)
MAX_IDS = 200_000
CANCEL_CHECK_EVERY = 20
INLINE_RETRIES = 1
ANALYZE_AFTER_ITEMS = 1_000  # a smaller run hardly changes what the item table's statistics say


class FetchRequestError(ValueError):
    """The operator asked for something that cannot be fetched (shown to them as is)."""


@lru_cache(maxsize=4)
def provider_for(name: str) -> MatchProvider:
    """One pooled client per provider and worker process, behind the deployment-wide token bucket."""
    module = provider_module(name)
    return module.build(rate_limiter=provider_bucket(name), pool_size=max(1, settings.FETCH_THREADS_PER_CHUNK))


# --- creating and starting ---------------------------------------------------------------
def parse_ids(text: str) -> list[int]:
    """Provider ids from free text (commas, spaces, new lines), in order, without repeats."""
    ids: list[int] = []
    seen: set[int] = set()
    for token in text.replace(",", " ").replace(";", " ").split():
        if not token.isdigit() or not 0 < int(token) < 2**62:
            raise FetchRequestError(token[:30])
        value = int(token)
        if value not in seen:
            seen.add(value)
            ids.append(value)
    return ids


def create_run(
    *,
    provider_ids: Iterable[int] | None = None,
    competition_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    season: int | None = None,
    started_by_id: int | None = None,
    trigger: str = FetchRun.Trigger.ADMIN,
) -> FetchRun:
    """A new run with its items (for an id list) or its range (items come from the provider later)."""
    if provider_ids is not None:
        ids = list(dict.fromkeys(int(i) for i in provider_ids))
        if not ids or len(ids) > MAX_IDS:
            raise FetchRequestError(str(len(ids)))
        with transaction.atomic():
            run = FetchRun.objects.create(
                kind=FetchRun.Kind.IDS,
                provider=settings.FOOTBALL_PROVIDER,
                started_by_id=started_by_id,
                trigger=trigger,
                total=len(ids),
                pending=len(ids),
            )
            _create_items(run.id, ids)
        return run
    if not competition_code.strip():
        raise FetchRequestError(_("Organizasyon kodunu girin."))
    if not (date_from or date_to or season):
        raise FetchRequestError(_("Bir tarih aralığı ya da sezon girin."))
    if date_from and date_to and date_from > date_to:
        raise FetchRequestError(_("Bitiş tarihi başlangıçtan önce olamaz."))
    return FetchRun.objects.create(
        kind=FetchRun.Kind.RANGE,
        provider=settings.FOOTBALL_PROVIDER,
        competition_code=competition_code.strip().upper(),
        date_from=date_from,
        date_to=date_to,
        season=season,
        started_by_id=started_by_id,
        trigger=trigger,
    )


def start_id_run(*, provider_ids: Iterable[int], started_by_id: int | None, trigger: str) -> FetchRun:
    """Use case "fetch these ids": validate, create the run, send it. Form, command and admin call this."""
    run = create_run(provider_ids=provider_ids, started_by_id=started_by_id, trigger=trigger)
    start_run(run.id)
    return run


def start_range_run(
    *,
    competition_code: str,
    date_from: date | None = None,
    date_to: date | None = None,
    season: int | None = None,
    started_by_id: int | None = None,
    trigger: str,
) -> FetchRun:
    """Use case "fetch a competition's dates or season": the range rule is checked in create_run.

    Form, command, admin and the daily beat task call this."""
    run = create_run(
        competition_code=competition_code,
        date_from=date_from,
        date_to=date_to,
        season=season,
        started_by_id=started_by_id,
        trigger=trigger,
    )
    start_run(run.id)
    return run


def _create_items(run_id: int, ids: list[int]) -> None:
    size = settings.FETCH_CHUNK_SIZE
    FetchItem.objects.bulk_create(
        (FetchItem(run_id=run_id, provider_id=pid, chunk=n // size) for n, pid in enumerate(ids)),
        batch_size=5000,
        ignore_conflicts=True,  # a redelivered listing task adds nothing twice
    )
    if len(ids) >= ANALYZE_AFTER_ITEMS:
        # Statistics that know the new run before its chunks are read. A planner that believes
        # the item table empty (statistics taken before the run: a fresh install, a table of
        # deleted runs, autovacuum not yet round) finds every index equally cheap and may read a
        # chunk's fifty items by scanning all of the run's, a cost that grows with the run
        # (docs/fetching.md, "Per-chunk database time"). ANALYZE samples a bounded number of rows,
        # so its cost does not; inside the run's transaction it sees the new items, and its
        # statistics commit with them.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(FetchItem._meta.db_table)}")


def start_run(run_id: int) -> str:
    """Send the run to the workers; returns the root task id (shown with a Flower link)."""
    run = FetchRun.objects.get(pk=run_id)
    root_id = dispatch.send_run(run_id, list_first=run.kind == FetchRun.Kind.RANGE and not run.items.exists())
    FetchRun.objects.filter(pk=run_id).update(task_id=root_id)
    return root_id


def list_run_matches(*, run_id: int, provider: MatchProvider | None = None) -> int:
    """Step one of a range run: ask the provider which matches there are and make them items."""
    run = FetchRun.objects.get(pk=run_id)
    FetchRun.objects.filter(pk=run_id, status=FetchRun.Status.PENDING).update(
        status=FetchRun.Status.LISTING, started_at=timezone.now()
    )
    provider = provider or provider_for(run.provider)
    try:
        listed = provider.list_matches(
            competition_code=run.competition_code, date_from=run.date_from, date_to=run.date_to, season=run.season
        )
    except PermanentProviderError as exc:
        FetchRun.objects.filter(pk=run_id).update(
            status=FetchRun.Status.FAILED, error=f"{exc.reason}: {exc.detail}", finished_at=timezone.now()
        )
        return 0
    _create_items(run_id, list(dict.fromkeys(m.provider_id for m in listed)))
    refresh_run(run_id)
    return len(listed)


def dispatch_run(*, run_id: int) -> int:
    """One task per chunk that still has pending items; returns how many were sent."""
    run = FetchRun.objects.get(pk=run_id)
    if run.status in (FetchRun.Status.CANCELLED, FetchRun.Status.FAILED):
        return 0
    now = timezone.now()
    FetchRun.objects.filter(pk=run_id).update(
        status=FetchRun.Status.RUNNING, finished_at=None, last_progress_at=now, started_at=run.started_at or now
    )
    chunks = list(
        FetchItem.objects.filter(run_id=run_id, state=FetchItem.State.PENDING)
        .order_by("chunk")
        .values_list("chunk", flat=True)
        .distinct()
    )
    if chunks:
        # Each message carries two integers; the ids are read from the database by the chunk task.
        dispatch.send_chunks(run_id, chunks)
    refresh_run(run_id)
    return len(chunks)


# --- the work ------------------------------------------------------------------------------
@dataclass
class ChunkOutcome:
    fetched: int = 0
    failed: int = 0
    pending: int = 0
    requests: int = 0
    rate_limited: int = 0
    retry_after: float | None = None
    skipped: bool = False
    db_ms: float = 0.0  # time spent in SQL by this delivery (scripts/bench_fetch.py reports it)

    def as_dict(self) -> dict:
        return asdict(self)


# Django's execute_wrapper protocol: the next wrapper (or the cursor) with sql, params, many, context.
Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


class _DatabaseTimer:
    """Sums the time of every SQL statement run through it and of every commit (for the
    per-chunk figure). Commits count: deferred foreign-key checks run there, not in a statement."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Execute, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started

    @contextmanager
    def timing_commits(self) -> Iterator[None]:
        db: Any = connection  # _commit is Django's one place where a transaction is committed
        commit = db._commit

        def timed_commit() -> None:
            started = time.perf_counter()
            try:
                commit()
            finally:
                self.seconds += time.perf_counter() - started

        db._commit = timed_commit
        try:
            yield
        finally:
            del db._commit  # the class's method again


@contextmanager
def _checks_planned_for_tables_as_they_are() -> Iterator[None]:
    """The chunk's foreign-key checks (run at commit) planned at each use, not kept.

    PostgreSQL keeps such a check's plan per connection. A chunk grows the match table by fifty
    rows a transaction, from nothing on a new install: kept, the check of an item's or a goal's
    match is planned while the table is nearly empty, stays a sequential scan of it until the
    next ANALYZE, and the chunk's commit grows with every match stored. Planning each check
    costs a few microseconds more (figures in docs/fetching.md, "Per-chunk database time"); the
    importer, which writes 2,000 rows a transaction and is never planned against a nearly empty
    table, keeps its plans.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")
        except DatabaseError:  # a broken connection: it is closed, and the setting with it
            logger.warning("could not reset plan_cache_mode after fetch chunk", exc_info=True)


def process_chunk(*, run_id: int, chunk: int, task_id: str = "", provider: MatchProvider | None = None) -> ChunkOutcome:
    """Fetch and store the pending items of one chunk. Items still pending afterwards had a
    transient error and should be tried again after `retry_after` (the task schedules that)."""
    timer = _DatabaseTimer()
    with connection.execute_wrapper(timer), timer.timing_commits(), _checks_planned_for_tables_as_they_are():
        outcome = _process_chunk(run_id=run_id, chunk=chunk, task_id=task_id, provider=provider)
    outcome.db_ms = round(timer.seconds * 1000, 2)
    return outcome


def pending_items(run_id: int, chunk: int) -> QuerySet[FetchItem]:
    """The items a delivery of this chunk still has to fetch, through fetchitem_run_chunk_state.

    Unordered on purpose: with ORDER BY id, a planner whose statistics say the table is empty
    walks the primary key through every item of every run to skip sorting fifty rows."""
    return FetchItem.objects.filter(run_id=run_id, chunk=chunk, state=FetchItem.State.PENDING).order_by()


def _process_chunk(*, run_id: int, chunk: int, task_id: str, provider: MatchProvider | None) -> ChunkOutcome:
    outcome = ChunkOutcome()
    run = FetchRun.objects.filter(pk=run_id).only("status", "provider").first()
    if run is None or run.status not in (FetchRun.Status.RUNNING, FetchRun.Status.PENDING):
        outcome.skipped = True
        return outcome
    provider = provider or provider_for(run.provider)
    items = sorted(pending_items(run_id, chunk), key=lambda item: item.id)
    # What this delivery saw; an item changed since by another delivery of the same chunk is theirs.
    seen = {item.id: item.attempts for item in items}
    fetched: list[tuple[FetchItem, ProviderMatch]] = []
    errors: list[tuple[FetchItem, ProviderError]] = []
    spent: dict[int, tuple[int, int]] = {}  # item id -> (requests, 429s)

    def fetch(item: FetchItem) -> tuple[ProviderMatch | ProviderError, int, int]:
        """(match or last error, attempts spent, 429s met). A transient error is retried here once
        after a short backoff, so a single 5xx does not send the whole chunk back to the broker."""
        tries = limited = 0
        while True:
            tries += 1
            try:
                return provider.get_match(item.provider_id), tries, limited
            except PermanentProviderError as exc:
                return exc, tries, limited
            except TransientProviderError as exc:
                limited += exc.reason == RATE_LIMITED
                delay = retry_delay(retries=tries - 1, retry_after=exc.retry_after)
                # A long wait is the broker's job (a countdown), not a busy worker's.
                if (
                    tries > INLINE_RETRIES
                    or item.attempts + tries >= settings.FETCH_MAX_ATTEMPTS
                    or delay > settings.FETCH_RETRY_BASE_SECONDS
                ):
                    return exc, tries, limited
                time.sleep(delay)

    # A few requests in flight per process: the work is waiting on the network, and the token
    # bucket, not the number of threads, decides how fast the provider is asked.
    with ThreadPoolExecutor(max_workers=settings.FETCH_THREADS_PER_CHUNK) as pool:
        for start in range(0, len(items), CANCEL_CHECK_EVERY):
            if start and _cancelled(run_id):
                items = items[:start]
                break
            batch = items[start : start + CANCEL_CHECK_EVERY]
            for item, (result, tries, limited) in zip(batch, pool.map(fetch, batch), strict=True):
                spent[item.id] = (tries, limited)
                item.attempts += tries
                if isinstance(result, ProviderError):
                    errors.append((item, result))
                else:
                    fetched.append((item, result))
    with transaction.atomic():
        # Lock this chunk's items (in id order: no deadlock between two deliveries) and keep only
        # those nobody changed since we read them. A redelivered chunk running beside the first
        # one, or after it, finds its items taken and stores and counts nothing, requests included;
        # the matches are stored under the lock, so the outcomes (created, updated) are the ones
        # of the delivery that counts them.
        current = dict(
            (pk, (state, attempts))
            for pk, state, attempts in FetchItem.objects.select_for_update()
            .filter(id__in=list(seen))
            .order_by("id")
            .values_list("id", "state", "attempts")
        )
        mine = {pk for pk, attempts in seen.items() if current.get(pk) == (FetchItem.State.PENDING, attempts)}
        fetched, stored = _store([(item, match) for item, match in fetched if item.id in mine], errors)
        _account(run_id, task_id, outcome, stored, fetched, errors, spent, mine)
    return outcome


def _store(
    fetched: list[tuple[FetchItem, ProviderMatch]], errors: list[tuple[FetchItem, ProviderError]]
) -> tuple[list[tuple[FetchItem, ProviderMatch]], dict]:
    """Store the chunk's matches; one the database refuses fails alone, recorded, never the chunk.

    A match the field checks refuse (lengths, control characters, …) is a permanent failure at
    once. Should the database refuse the chunk all the same, each match is stored on its own, so the
    valid ones are kept and only the refused ones fail: re-sent, they would fail the same way.
    """
    valid: list[tuple[FetchItem, ProviderMatch]] = []
    for item, match in fetched:
        problem = provider_match_problem(match)
        if problem:
            errors.append((item, PermanentProviderError(INVALID_PAYLOAD, problem)))
        else:
            valid.append((item, match))
    try:
        with transaction.atomic():
            return valid, store_matches([m for _, m in valid])
    except (DatabaseError, ValueError):
        logger.warning("a fetched chunk was refused by the database; storing its matches one by one", exc_info=True)
    kept: list[tuple[FetchItem, ProviderMatch]] = []
    stored: dict = {}
    for item, match in valid:
        try:
            with transaction.atomic():
                stored.update(store_matches([match]))
            kept.append((item, match))
        except (DatabaseError, ValueError) as exc:
            errors.append((item, PermanentProviderError(INVALID_PAYLOAD, f"database: {exc}"[:255])))
    return kept, stored


def _account(
    run_id: int,
    task_id: str,
    outcome: ChunkOutcome,
    stored: dict,
    fetched: list[tuple[FetchItem, ProviderMatch]],
    errors: list[tuple[FetchItem, ProviderError]],
    spent: dict[int, tuple[int, int]],
    mine: set[int],
) -> None:
    """Write this delivery's items and add exactly their share to the run's counters.

    The counters move by this chunk's deltas (a few additions on the run row), so a chunk costs
    the same whatever the size of the run; `refresh_run` recounts from the items when asked.
    """
    now = timezone.now()
    max_attempts = settings.FETCH_MAX_ATTEMPTS
    failures: list[FetchFailure] = []
    changed: list[FetchItem] = []
    outcomes: Counter[str] = Counter()
    for item, match in fetched:
        if item.id not in mine:
            continue
        item.state, item.task_id = FetchItem.State.DONE, task_id
        item.match_id, item.outcome, item.last_reason = (
            stored[match.provider_id].match_id,
            stored[match.provider_id].outcome,
            "",
        )
        outcomes[item.outcome] += 1
        outcome.fetched += 1
        changed.append(item)
    for item, exc in errors:
        if item.id not in mine:
            continue
        item.task_id, item.last_reason = task_id, exc.reason
        changed.append(item)
        if isinstance(exc, PermanentProviderError) or item.attempts >= max_attempts:
            item.state = FetchItem.State.FAILED
            outcome.failed += 1
            failures.append(
                FetchFailure(
                    run_id=run_id,
                    provider_id=item.provider_id,
                    reason=exc.reason,
                    detail=exc.detail[:255],
                    http_status=exc.status,
                    attempts=item.attempts,
                    permanent=not exc.transient,
                    task_id=task_id,
                )
            )
        else:
            outcome.pending += 1
            if isinstance(exc, TransientProviderError) and exc.retry_after is not None:
                outcome.retry_after = max(outcome.retry_after or 0, exc.retry_after)
    for pk in mine:
        requests, limited = spent.get(pk, (0, 0))
        outcome.requests += requests
        outcome.rate_limited += limited
    if changed:
        FetchItem.objects.bulk_update(changed, ["state", "attempts", "task_id", "match", "outcome", "last_reason"])
    if failures:
        FetchFailure.objects.bulk_create(
            failures,
            update_conflicts=True,
            unique_fields=["run", "provider_id"],
            update_fields=["reason", "detail", "http_status", "attempts", "permanent", "task_id"],
        )
    done_ids = [item.provider_id for item, _ in fetched if item.id in mine]
    if done_ids:  # an id that failed before and now worked is no failure any more
        FetchFailure.objects.filter(run_id=run_id, provider_id__in=done_ids).delete()
    finished = outcome.fetched + outcome.failed
    # Last, so the run row is locked only for the end of the transaction.
    FetchRun.objects.filter(pk=run_id).update(
        done=F("done") + outcome.fetched,
        failed=F("failed") + outcome.failed,
        pending=F("pending") - finished,
        created_matches=F("created_matches") + outcomes[FetchItem.Outcome.CREATED],
        updated_matches=F("updated_matches") + outcomes[FetchItem.Outcome.UPDATED],
        unchanged_matches=F("unchanged_matches") + outcomes[FetchItem.Outcome.UNCHANGED],
        requests=F("requests") + outcome.requests,
        rate_limited=F("rate_limited") + outcome.rate_limited,
        last_progress_at=now,
    )
    if finished:
        # Conditional, so two chunks finishing at once finish the run once.
        FetchRun.objects.filter(pk=run_id, status=FetchRun.Status.RUNNING, pending=0).update(
            status=FetchRun.Status.FINISHED, finished_at=now
        )


def _cancelled(run_id: int) -> bool:
    return FetchRun.objects.filter(pk=run_id, status=FetchRun.Status.CANCELLED).exists()


def retry_delay(*, retries: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, never shorter than the provider's Retry-After and
    always well below the broker's visibility timeout (a longer countdown would be redelivered)."""
    cap = min(settings.FETCH_RETRY_MAX_SECONDS, settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2)
    backoff = settings.FETCH_RETRY_BASE_SECONDS * (2 ** min(retries, 16))
    delay = random.uniform(backoff / 2, backoff)
    if retry_after:
        delay = max(delay, retry_after + random.uniform(0, settings.FETCH_RETRY_BASE_SECONDS / 2))
    return round(min(delay, cap), 3)


def refresh_run(run_id: int) -> FetchRun:
    """Recount the run from its items and finish it when nothing is pending.

    For the points where items appear or change outside a chunk (creating, listing, dispatching,
    retrying failures); chunks move the counters by their own deltas instead of scanning the run.

    The run row is locked first, so concurrent chunks recount one after the other and a count
    taken earlier can never overwrite a later one.
    """
    with transaction.atomic():
        FetchRun.objects.select_for_update().filter(pk=run_id).values_list("id", flat=True).first()
        _recount(run_id)
    return FetchRun.objects.get(pk=run_id)


def _recount(run_id: int) -> None:
    states = dict(
        FetchItem.objects.filter(run_id=run_id).values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    outcomes = dict(
        FetchItem.objects.filter(run_id=run_id, state=FetchItem.State.DONE)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    pending = states.get(FetchItem.State.PENDING, 0)
    FetchRun.objects.filter(pk=run_id).update(
        total=sum(states.values()),
        done=states.get(FetchItem.State.DONE, 0),
        failed=states.get(FetchItem.State.FAILED, 0),
        pending=pending,
        created_matches=outcomes.get(FetchItem.Outcome.CREATED, 0),
        updated_matches=outcomes.get(FetchItem.Outcome.UPDATED, 0),
        unchanged_matches=outcomes.get(FetchItem.Outcome.UNCHANGED, 0),
    )
    if pending == 0:
        # Conditional, so two chunks finishing at once finish the run once.
        FetchRun.objects.filter(pk=run_id, status=FetchRun.Status.RUNNING).update(
            status=FetchRun.Status.FINISHED, finished_at=timezone.now()
        )


# --- operator actions ----------------------------------------------------------------------
def resume_run(*, run_id: int) -> int:
    """Send the pending items of a run (stopped, stalled, or its messages lost) to the workers again.

    Chunks that are in fact still queued are then processed twice, which is harmless: the second
    task finds their items done, or stores the same match again without changing it.
    """
    run = FetchRun.objects.get(pk=run_id)
    if run.kind == FetchRun.Kind.RANGE and not run.items.exists():
        FetchRun.objects.filter(pk=run_id).update(status=FetchRun.Status.PENDING, error="")
        start_run(run_id)
        return 1
    FetchRun.objects.filter(pk=run_id).exclude(status=FetchRun.Status.RUNNING).update(
        status=FetchRun.Status.PENDING, error=""
    )
    return dispatch_run(run_id=run_id)


def retry_failed(*, run_id: int) -> int:
    """Put the failed items of a run back to pending (attempts from zero) and dispatch them."""
    with transaction.atomic():
        count = FetchItem.objects.filter(run_id=run_id, state=FetchItem.State.FAILED).update(
            state=FetchItem.State.PENDING, attempts=0
        )
        if not count:
            return 0
        FetchRun.objects.filter(pk=run_id).update(status=FetchRun.Status.PENDING, finished_at=None)
    dispatch_run(run_id=run_id)
    return count


def cancel_run(*, run_id: int) -> bool:
    """Stop a run: chunk tasks notice within a few ids and leave the rest pending (resumable)."""
    return bool(
        FetchRun.objects.filter(pk=run_id, status__in=FetchRun.ACTIVE_STATUSES).update(
            status=FetchRun.Status.CANCELLED, finished_at=timezone.now()
        )
    )


def resume_stalled_runs(*, stalled_after: timedelta | None = None) -> list[int]:
    """Active runs without progress for a while (lost messages, e.g. after a Redis restart)."""
    stalled_after = stalled_after or timedelta(seconds=settings.FETCH_STALLED_AFTER_SECONDS)
    limit = timezone.now() - stalled_after
    run_ids = list(
        FetchRun.objects.filter(status__in=FetchRun.ACTIVE_STATUSES)
        .filter(Q(last_progress_at__lt=limit) | Q(last_progress_at__isnull=True, created_at__lt=limit))
        .values_list("id", flat=True)
    )
    for run_id in run_ids:
        logger.warning("resuming stalled fetch run %s", run_id)
        resume_run(run_id=run_id)
    return run_ids
