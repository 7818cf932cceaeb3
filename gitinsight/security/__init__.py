"""Deployment checks, login adapters, the request context that audit rows read, secret
redaction in logs and error reports, and error pages that never show a traceback."""
