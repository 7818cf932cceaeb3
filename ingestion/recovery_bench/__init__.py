"""bench_recovery: point-in-time recovery of rows written through the application."""
