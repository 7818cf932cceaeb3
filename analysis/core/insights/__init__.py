"""Repository insights from plain commit history: hotspots, ownership, coupling, activity."""
