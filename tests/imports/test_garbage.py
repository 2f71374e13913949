"""The collector runs less often during an import and goes back to its thresholds afterwards."""

import gc
import threading

import pytest

from app.imports.services.garbage import YOUNG_THRESHOLD, fewer_collections


def test_thresholds_are_raised_inside_and_restored_even_after_an_error():
    before = gc.get_threshold()
    seen = []

    @fewer_collections
    def importing(fail: bool) -> None:
        seen.append(gc.get_threshold())
        if fail:
            raise ValueError("broken file")

    importing(False)
    with pytest.raises(ValueError):
        importing(True)

    assert seen == [(YOUNG_THRESHOLD, *before[1:])] * 2
    assert gc.get_threshold() == before


def test_overlapping_calls_restore_the_thresholds_only_when_the_last_one_ends():
    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    @fewer_collections
    def slow() -> None:
        inside.set()
        release.wait(10)

    @fewer_collections
    def quick() -> tuple[int, int, int]:
        return gc.get_threshold()

    thread = threading.Thread(target=slow)
    thread.start()
    inside.wait(10)
    assert quick()[0] == YOUNG_THRESHOLD
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the slow one still runs
    release.set()
    thread.join(10)
    assert gc.get_threshold() == before
