"""Who is working and who gets what: members' availability, skills, capacity and weekly shifts, and
automatic assignment of routed conversations to people (issue 18)."""
