"""Pages of teams contests: organizers, unit managers, judges, the stage screens."""
