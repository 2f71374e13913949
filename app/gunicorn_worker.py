"""gunicorn's threaded worker, taking new connections in proportion to how idle it is.

Every worker waits on the one listening socket, and a kept-alive connection stays with the worker
that accepted it. When many clients connect at once (a load balancer, a burst after a goal),
whichever worker happens to be awake takes most of them, so one core serves the load of two
while the other idles (scripts/bench_site.py; the splits and latencies are in docs/web.md,
"Pages near the floor"). This worker waits a little for each connection it already holds before
accepting, so that the less busy one takes the next. The wait is bounded, and a worker holding
nothing never waits.
"""

import socket
import time

from gunicorn.workers.gthread import ThreadWorker

WAIT_PER_CONNECTION = 100e-6  # seconds: well above the gap between two workers waking up
MAX_ACCEPT_WAIT = 2.5e-3  # the balance is set by the first connections; later ones wait no longer


def accept_wait(open_connections: int) -> float:
    """Seconds a worker holding `open_connections` waits before taking another one."""
    return min(open_connections * WAIT_PER_CONNECTION, MAX_ACCEPT_WAIT)


class BalancedThreadWorker(ThreadWorker):
    """`--worker-class app.gunicorn_worker.BalancedThreadWorker`: gthread with balanced accepts."""

    def accept(self, listener: socket.socket) -> None:
        wait = accept_wait(self.nr_conns)
        if wait:
            # The other workers are woken by the same connection; the idlest one takes it and
            # this accept then finds nothing (EAGAIN), which gthread ignores.
            time.sleep(wait)
        super().accept(listener)
