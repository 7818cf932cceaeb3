"""Writes for commit risk: features and labels (examples.py), model versions (models.py),
predictions (predictions.py), the notices of high-risk commits (notifications.py); repository
insights (insights.py) and statistics (stats.py)."""
