"""Personal data as European desks handle it: everything about one contact exported as JSON, a contact
erased at their request, and the policy's retention limits applied by a job; each recorded in the
privacy audit log (`AuditEntry`), which outlives what it names."""
