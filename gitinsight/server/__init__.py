"""How GitInsight runs: gunicorn's settings for the web process, starting it on a loopback
port, and the Redis broker that lets job workers on several machines share one queue."""
