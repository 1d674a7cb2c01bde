"""Desk verbs on many conversations at once (the inbox's bulk bar and `POST /api/conversations/bulk`)."""
