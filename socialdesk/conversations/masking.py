"""Personal data the desk never shows or indexes as written: card numbers (Luhn-valid), national
ids (checked where a check digit exists) and the policy's own patterns (account and order numbers).
The message keeps its text for the network and for an audited reveal; pages, the API and the search
index read the masked text.

Emails, phone numbers, names and addresses are found too (they make a post "personal data in
public") but stay readable: agents need them to answer, and none of them opens an account alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Kinds triage finds that stay readable; every other kind (card, national_id, a policy pattern's
# name) is masked. Decided by kind, so stored spans can be masked again without the policy.
READABLE_KINDS = frozenset({"email", "phone", "name", "address"})
LABELS = {"card": "card number", "national_id": "national ID"}


def label(kind: str) -> str:
    return LABELS.get(kind, kind.replace("_", " "))


def masked_text(text: str, spans: Iterable[Sequence[object]]) -> str | None:
    """`text` with every masked span replaced by "[card number]" and the like (no digit of it left,
    so no part of it can be searched); None when nothing in it is masked."""
    cut = sorted(
        (int(str(start)), int(str(end)), str(kind))
        for kind, start, end in (tuple(span) for span in spans)
        if str(kind) not in READABLE_KINDS
    )
    if not cut:
        return None
    out, at = [], 0
    for start, end, kind in cut:
        if start < at:  # overlapping findings: mask through the end of both
            at = max(at, end)
            continue
        out += [text[at:start], f"[{label(kind)}]"]
        at = end
    out.append(text[at:])
    return "".join(out)
