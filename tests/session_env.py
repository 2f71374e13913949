"""Loaded with `-p tests.session_env` before Django settings are read.

Gives each test session its own key prefixes on the shared Redis (broker and cache), so two
test runs on one machine never consume each other's tasks; worker processes inherit them.
"""

import os
import uuid

SESSION_TAG = f"test-{uuid.uuid4().hex[:8]}"
os.environ.setdefault("CELERY_KEY_PREFIX", f"{SESSION_TAG}:")
os.environ.setdefault("CACHE_KEY_PREFIX", SESSION_TAG)
