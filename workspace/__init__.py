"""What the apps above ingestion share: analysis jobs and their types, follows and
notifications, the admin inbox and its providers, embeddings and SVG charts."""
