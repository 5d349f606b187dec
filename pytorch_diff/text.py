"""Text from data, arguments and file names, made safe to show a person.

A data file is written by anyone.  A control character in it (ESC starts a terminal
command: set the title, clear the screen, write the clipboard), a bidi override that
reorders what the eye reads, or an invisible format character must never reach a
terminal or a file meant for people as itself.  Such characters are shown escaped,
``\\x1b`` or ``\\u202e``, so that they stay visible and harmless.
"""

from __future__ import annotations

# Unicode categories that are never printed as themselves: controls (C0, DEL, C1), format
# characters (bidi embeddings, overrides, isolates and marks, zero-width characters),
# line and paragraph separators, unpaired surrogates and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _unsafe(char: str, newlines: bool) -> bool:
    if char == "\n":
        return not newlines
    if char.isprintable() or char == " ":
        return False
    import unicodedata

    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def unsafe_characters(text: str, newlines: bool = True) -> list[str]:
    """The characters of ``text`` that ``visible`` would escape, in order, each once."""
    if text.isprintable() and text.isascii():
        return []
    found: dict[str, None] = {}
    for char in text:
        if _unsafe(char, newlines):
            found[char] = None
    return list(found)


def escape(char: str) -> str:
    """``\\x1b``, ``\\u202e`` or ``\\U000e0001``: how an unsafe character is shown."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, newlines: bool = False) -> str:
    """``text`` with every unsafe character escaped; newlines kept only when allowed."""
    if text.isprintable():  # the common case: nothing to do (a newline is not printable)
        return text
    return "".join(escape(char) if _unsafe(char, newlines) else char for char in text)
