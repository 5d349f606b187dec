"""A fake torch for the tests of ``ptdiff doctor``: see ../README.md."""

from . import jit, nn

__all__ = ["jit", "nn", "solve"]
__version__ = "1.1.0+cpu"

print("fake torch imported")  # a real torch may print too: it must not spoil the results


def solve(a, b):
    return b
