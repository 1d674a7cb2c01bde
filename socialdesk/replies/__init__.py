"""Replies: checking a draft, sending it (policy check, collision check, approval hold), approving,
sending again, and who else is working on the conversation. Sits above `policy` and `outbox`."""
