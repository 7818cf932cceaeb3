"""Local clones: pygit2 resolves refs and bounds the walk (walker.py); one `git log`
subprocess yields every commit with its per-file stats (parsed by ingestion.core.git_log);
rows are written with COPY in batches (writer.py); ingest.py ties them together."""
