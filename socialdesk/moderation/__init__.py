"""Moderation: hiding or deleting customers' messages, only for the policy's reasons, with an audit
log (the `ModerationLog` table stays in `conversations`; only the logic lives here)."""
