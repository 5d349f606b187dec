"""Like the real torch.nn.parallel, whose name ``deprecated`` is a decorator class, not a module."""

from functools import partial as deprecated

__all__ = ["deprecated"]
