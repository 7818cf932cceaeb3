"""Writes of duplicate detection (signatures and index rows, runs, clusters, feedback)."""
