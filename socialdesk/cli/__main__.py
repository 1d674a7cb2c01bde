"""`python -m socialdesk.cli` (the tests run the command this way in subprocesses)."""

from socialdesk.cli import main

main()
