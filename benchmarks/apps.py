from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The measurements: replays, backtests, load and fault runs, evaluations, each with its
    command. Nothing in the product imports this app."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
