"""A triage result as the Message fields that store it (no Django here: the import's triage worker
process builds them too)."""

from __future__ import annotations

import json
from typing import Any

from socialdesk.conversations.masking import masked_text
from socialdesk.triage.engine import Result

# Message's JSON fields among the triage fields.
JSON_FIELDS = ("personal_data", "triage")


def result_fields(result: Result) -> dict[str, Any]:
    """A triage result as Message fields."""
    return {
        "language": result.language,
        "sentiment": result.sentiment,
        "intent": result.intent,
        "category": result.category,
        "personal_data": result.personal_data,
        "legal_threat": result.legal_threat,
        "abusive": result.abusive,
        "needs_response": result.needs_response,
        "priority_score": result.priority_score,
        "triage": {
            "path": result.path,
            "language_confidence": result.language_confidence,
            "mixed_with": result.mixed_with,
            "sentiment_scores": result.sentiment_scores,
            "complaint_score": result.complaint_score,
            "offensive_score": result.offensive_score,
            "category_score": result.category_score,
            "personal_spans": [list(span) for span in result.personal_spans],
            "flags": result.flags,
        },
    }


def stored_fields(text: str, result: Result) -> dict[str, Any]:
    """Everything triage stores on a message, its JSON fields already as JSON text (`json.dumps`, as
    Django's SQLite backend writes them; PostgreSQL parses the text into jsonb), with the masked text."""
    fields = result_fields(result)
    for name in JSON_FIELDS:
        fields[name] = json.dumps(fields[name])
    fields["masked_text"] = masked_text(text, result.personal_spans)
    return fields
