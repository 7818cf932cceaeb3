"""Reads of failed-check analysis: analyses and excerpts (analyses.py), the facts attribution
weighs (facts.py)."""
