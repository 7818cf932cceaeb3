"""bench_api: a benchmark database populated with realistic ingested data, real server
processes on loopback, and concurrent keep-alive clients timing every read endpoint."""
