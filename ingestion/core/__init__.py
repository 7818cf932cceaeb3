"""Pure parsing of what GitHub and git hand us (no Django): GitHub JSON to model fields, file
channels, `git log` output, webhook signatures, rate-limit pauses."""
