"""Use cases: file a ticket, run a workflow action, escalate, sign in. Own the transactions."""
