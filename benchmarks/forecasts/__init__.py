"""Milestone forecast backtests (forecast_backtest): release tags of a git clone, and the
TSE 2018 sprint data."""
