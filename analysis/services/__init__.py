"""Writes for commit risk: features and labels (examples.py), model versions (models.py),
predictions (predictions.py)."""
