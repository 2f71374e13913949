"""Development helpers: real Celery worker processes for tests and benches, the simulated provider.

Nothing in `app/` imports this package and production settings never load it.
"""
