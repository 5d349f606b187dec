"""ptdiff: what is in a PyTorch release, what changed between two, and what came with it."""

__version__ = "0.1.0"
