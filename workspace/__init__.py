"""What the apps above ingestion share: analysis jobs and their types, follows and
notifications, the admin inbox and the repository overview with their providers, embeddings."""
