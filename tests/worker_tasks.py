"""Tasks only the tests need; workers started by the tests load this module (`--include`)."""

import os

from celery import shared_task

WORKER_TASKS = ("tests.worker_tasks",)


@shared_task(name="tests.ping")
def ping(value: str) -> dict:
    """Echo with the worker's pid: lets a test see which process ran a task."""
    return {"value": value, "pid": os.getpid()}
