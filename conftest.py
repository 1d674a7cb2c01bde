"""Loaded before Django is configured: tests get a private data directory and a fixed secret."""

import os
import tempfile

os.environ.setdefault("SOCIALDESK_DATA_DIR", tempfile.mkdtemp(prefix="socialdesk-test-"))
os.environ.setdefault("SOCIALDESK_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.pop("SOCIALDESK_BROKER_URL", None)

# Shared fixtures for tests under tests/ and under each network package (socialdesk/channels/*/tests).
pytest_plugins = ["tests.shared"]
