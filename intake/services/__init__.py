"""Every write of the intake app: keyword-only, one transaction, one timeline event each."""
