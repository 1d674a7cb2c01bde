"""Keyword listening: which stream posts name a brand (see matcher.py)."""
