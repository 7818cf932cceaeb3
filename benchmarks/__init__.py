"""How GitInsight is measured: every benchmark, replay, backtest and evaluation harness with
its management command (the last line of each command's output is JSON)."""
