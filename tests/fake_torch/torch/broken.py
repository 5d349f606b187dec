"""A torch module whose import fails for a reason of its own."""

raise RuntimeError("no backend available\nsecond line")
