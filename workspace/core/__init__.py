"""Framework-free pieces every app may use: title+body embeddings and SVG charts."""
