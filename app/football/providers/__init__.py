"""Clients for match-data APIs behind one small interface (see base.py)."""
