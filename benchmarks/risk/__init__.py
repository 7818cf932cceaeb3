"""Commit-risk measurements: timing of training and prediction with the own, global and
blended models (bench_risk) and the time-split evaluation against baselines, with the global
model and the blend beside them (risk_evaluate)."""
