"""A person's own sign-in: second factors (TOTP devices, recovery codes); above the workspaces, which say
whether a second factor is required."""
