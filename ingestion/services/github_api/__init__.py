"""GitHub REST API: a githubkit client that obeys rate limits (ingestion.core.rate_limit) and
speaks ETags (`client`, `auth`), and the backfill/poll of one repository that stores
everything through the shared upserts of `ingestion.services` (`backfill`, `sync`)."""
