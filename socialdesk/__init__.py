"""Socialdesk: a social-media customer-care desk driven by a brand's action policy."""

__version__ = "0.1.0"

from socialdesk.celery import app as celery_app

__all__ = ["__version__", "celery_app"]
