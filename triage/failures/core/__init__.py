"""Pure failed-check analysis (no Django): log text, line rules and their matcher, root-cause
ranges, category, fingerprint, attribution and the recommended action."""
