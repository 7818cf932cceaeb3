"""Reads of commit risk (risk.py), its settings (config.py) and of insights (insights.py)."""
