"""Pure PR-similarity algorithms (no Django): diff normalisation, sketches, symbols,
signatures per channel, scoring and in-memory retrieval."""
