from dataclasses import dataclass, field
from typing import Any

import pytest

from app.accounts import dispatch, tasks


@dataclass
class QueuedTasks:
    """Tasks the request path would send to the broker, recorded instead; `run()` runs them here."""

    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def run(self) -> None:
        calls, self.calls = self.calls, []
        for name, args in calls:
            getattr(tasks, name).apply(args=args).get()


@pytest.fixture
def queued(monkeypatch) -> QueuedTasks:
    recorder = QueuedTasks()
    monkeypatch.setattr(
        dispatch, "send_password_reset", lambda *args: recorder.calls.append(("send_password_reset", args))
    )
    monkeypatch.setattr(
        dispatch,
        "send_lockout_notices",
        lambda ids: recorder.calls.extend(("send_lockout_notice", (lockout_id,)) for lockout_id in ids),
    )
    return recorder
