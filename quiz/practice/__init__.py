"""Practice mode (thi thử): a quiz drawn from a public bank, graded at once, never stored."""
