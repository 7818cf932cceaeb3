"""GitHub REST API: a githubkit client that obeys rate limits and speaks ETags
(`client`, `rate_limit`, `auth`), and the backfill/poll of one repository that stores
everything through the shared upserts of `ingestion.services` (`backfill`, `cursors`)."""
