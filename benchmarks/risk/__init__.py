"""Commit-risk measurements: timing of training and prediction (bench_risk) and the time-split
evaluation against baselines (risk_evaluate)."""
