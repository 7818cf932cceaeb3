"""Milestone forecasting without Django: Monte Carlo, calibration, risks, recommendations,
dependencies parsed from text, search fusion and the forecast charts."""
