"""bench_jobs: idempotent tasks through real worker clusters, one of them killed mid-run."""
