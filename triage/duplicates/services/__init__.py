"""Writes of the triage app (signatures and index rows, analysis runs, clusters, feedback)."""
