"""Notifications people receive: one `Notification` per event the desk wants someone to know about
(legal escalations, replies waiting for approval, SLA warnings and breaches, incidents, spikes), fanned
out by `notify.notify` to the members who want that kind, in the desk and by email, and to the
workspace's outgoing webhooks. Every delivery and every attempt is a row."""
