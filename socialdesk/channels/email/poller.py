"""Email in: the IMAP mailbox polled for messages newer than the last UID seen."""

from __future__ import annotations

import contextlib
import imaplib

from socialdesk.channels.email.client import login_of, open_imap
from socialdesk.channels.email.payloads import parse
from socialdesk.channels.models import Channel
from socialdesk.channels.polling import remember
from socialdesk.ingest.actions import receive_event


def poll_inbox(channel: Channel, batch: int = 200) -> int:
    """Fetch messages newer than the last UID seen; each is stored once (event id = its Message-ID)."""
    creds = login_of(channel)
    last = int(channel.config.get("last_uid", 0))
    stored = 0
    imap = open_imap(channel)
    try:
        imap.login(str(creds.get("username", "")), str(creds.get("password", "")))
        imap.select(str(channel.config.get("mailbox", "INBOX")), readonly=True)
        _, found = imap.uid("SEARCH", f"UID {last + 1}:*")
        uids = sorted(int(u) for u in (found[0] or b"").split() if int(u) > last)[:batch]
        for uid in uids:
            _, data = imap.uid("FETCH", str(uid), "(RFC822)")
            raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
            email = parse(raw, str(uid))
            stored += int(receive_event(channel, f"email:{email.message_id}", email.model_dump(mode="json")))
            last = uid
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    if last != int(channel.config.get("last_uid", 0)):
        remember(channel, last_uid=last)
    return stored
