"""Reads of sprints: forecasts and their inputs (forecasts.py), search (search.py)."""
