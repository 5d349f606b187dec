"""Read a YAML file into plain Python values, safely, with the position of every value.

PyYAML's loaders silently keep the last of two equal mapping keys, build whatever the
tags ask for unless told not to, expand aliases without limit and recurse once per
nesting level (the C composer crashes on deep nesting).  So values are built here
from the parser's event stream instead, which is iterative and lets us stop early:

* only the plain YAML tags are accepted (str, int, float, bool, null, timestamp);
* a repeated mapping key is an error naming both lines;
* size, nesting depth and alias expansion are bounded (see the README).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50
# Values after alias expansion: what a validator would walk.  The shipped data holds about
# 5,000; the bound keeps the work and the memory of any file within a few seconds and
# well under 300 MiB (PyYAML holds an event for every value of a flow collection).
MAX_VALUES = 200_000
READER_CHECKS = ("duplicate-key", "yaml-tag")  # found while reading: they explain what follows

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}

Path_ = tuple[Any, ...]  # a path into the document: ("features", 3, "history", 0, "release")


class Document:
    """A parsed YAML document: its value, what was wrong with it, and where.

    Positions cost memory for every value of a file, yet only a problem needs one.  So a
    problem is first recorded by the path of its value (``problem``); ``locate`` then
    reads the text again, keeping positions only for those paths, and turns each into a
    ``Problem`` with its line and column.  A message may name the line of another path
    as a NUL-delimited ``line`` (``also_at``), which YAML text cannot contain.
    """

    def __init__(self, file: str, value: Any, text: str = "") -> None:
        self.file = file
        self.value = value
        self.text = text
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []  # with their positions
        self.pending: list[tuple[Path_, str, str, str, Path_ | None]] = []  # (path, level, check, message, also_at)

    def position(self, path: Path_) -> tuple[int, int]:
        """(line, column) of ``path``, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(
        self, path: Path_, check: str, message: str, level: str = "error", also_at: Path_ | None = None
    ) -> None:
        self.pending.append((path, level, check, message, also_at))

    def locate(self) -> list[Problem]:
        """Every problem with its position: the reader's own, and the recorded ones, located now."""
        if self.pending:
            wanted: set[Path_] = set()
            for path, _, _, _, also_at in self.pending:
                for where in (path, also_at or ()):
                    wanted.update(where[:end] for end in range(len(where) + 1))
            self.positions = {}
            _Builder(Document(self.file, None), wanted, self.positions).build(self.text)
            for path, level, check, message, also_at in self.pending:
                if also_at is not None:
                    message = message.replace("\x00line\x00", str(self.position(also_at)[0]))
                line, column = self.position(path)
                self.problems.append(Problem(self.file, line, column, level, check, message))
            self.pending = []
        return self.problems


def read_bytes(path: Path, named_by: str = "") -> bytes:
    """The file's bytes, or a DataError that says plainly why they cannot be had.

    ``named_by`` ("--data", "PTDIFF_DATA") says where the name came from, for the message.
    A regular file or a pipe (``--data <(git show HEAD:data/releases.yaml)``) is read;
    a device (``/dev/zero``, a terminal) or a socket is refused: it could block or never end.
    """
    name = f"{path} (from {named_by})" if named_by else str(path)
    try:
        # A named pipe is opened blocking, to wait for its writer; anything else without
        # blocking, so that opening a device cannot hang before it is refused.
        pipe = stat.S_ISFIFO(os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | (0 if pipe else getattr(os, "O_NONBLOCK", 0)))
        try:
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
                raise _unreadable(name, "file", f"is {what}, not a data file")
            os.set_blocking(fd, True)
            with open(fd, "rb", closefd=False) as handle:
                data = handle.read(MAX_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as error:
        raise _unreadable(name, "file", _why(error)) from None
    except ValueError:  # a NUL byte in the name
        raise _unreadable(name, "file", "the file name contains a NUL character") from None
    if len(data) > MAX_BYTES:
        raise _unreadable(name, "size-limit", f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a data file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot be read: {error.strerror or error}"


def parse_yaml(data: bytes, file: str) -> Document:
    """Parse one YAML document from ``data``; raise DataError if it cannot be parsed."""
    text = _decode(data, file)
    doc = Document(file, None, text)
    _Builder(doc).build(text)
    return doc


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problem = Problem(file, line, column, "error", "encoding", "file is not valid UTF-8")
        raise DataError([problem]) from None


def _shown(tag: str) -> str:
    """A tag as it is written in a file: ``!!python/object`` rather than its long form."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _depth_message() -> str:
    return f"nesting is deeper than {MAX_DEPTH} levels"


def _unreadable(file: str, check: str, message: str, line: int = 0, column: int = 0) -> DataError:
    return DataError([Problem(file, line, column, "error", check, message)])


class _Frame:
    """A collection being built, with what is needed to finish it."""

    __slots__ = ("value", "path", "key", "key_line", "seen", "anchor", "start_count")

    def __init__(self, value: Any, path: Path_, anchor: str | None, start_count: int) -> None:
        self.value = value
        self.path = path
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.seen: dict[Any, int] = {}
        self.anchor = anchor
        self.start_count = start_count


_NO_KEY = object()


class _Builder:
    """Builds a document's value from the parser's events.

    With ``wanted`` it only records, into ``positions``, where those paths stand (the
    second reading, by ``Document.locate``).
    """

    def __init__(
        self, doc: Document, wanted: set[Path_] | None = None, positions: dict[Path_, tuple[int, int]] | None = None
    ) -> None:
        self.doc = doc
        self.wanted = wanted
        self.positions = positions if positions is not None else {}
        self.count = 0  # values built, aliases counted at their full size
        self.anchors: dict[str, tuple[Any, int]] = {}
        self._last_mark = (1, 1)
        self._column_of_key = 1
        self.expanded = False  # whether an alias has been expanded: names the limit that is hit

    def build(self, text: str) -> None:
        import yaml
        from yaml.constructor import SafeConstructor
        from yaml.resolver import Resolver

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.yaml = yaml
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        stack: list[_Frame] = []
        documents = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self._fatal(event, "yaml-syntax", "expected one YAML document, found several")
                elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                    self._scalar_or_alias(event, stack)
                elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    self._start(event, stack)
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    self._end(stack)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = " ".join(" ".join(filter(None, [error.context, error.problem])).split()) or "invalid YAML"
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            if "maximum nesting depth" in message:  # libyaml >= 0.2.6 has a limit of its own (1000)
                raise _unreadable(self.doc.file, "depth-limit", _depth_message(), line, column) from None
            raise _unreadable(self.doc.file, "yaml-syntax", f"not valid YAML: {message}", line, column) from None
        except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as NUL
            line = text.count("\n", 0, error.position) + 1
            column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
            message = f"not valid YAML: character {chr(error.character)!r} is not allowed"
            raise _unreadable(self.doc.file, "yaml-syntax", message, line, column) from None
        except yaml.YAMLError as error:  # messages may span lines: keep the report to one
            raise _unreadable(self.doc.file, "yaml-syntax", "not valid YAML: " + " ".join(str(error).split())) from None

    # -- events -----------------------------------------------------------------

    def _start(self, event: Any, stack: list[_Frame]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise self._fatal(event, "depth-limit", _depth_message())
        is_mapping = isinstance(event, self.yaml.MappingStartEvent)
        expected = _TAG + ("map" if is_mapping else "seq")
        if event.tag not in (None, "!", expected):
            self._problem(event, "yaml-tag", f"YAML tag {_shown(event.tag)!r} is not allowed here")
        path = self._attach_path(event, stack)
        frame = _Frame({} if is_mapping else [], path, event.anchor, self.count)
        self._add_count(event, 1)
        stack.append(frame)

    def _end(self, stack: list[_Frame]) -> None:
        frame = stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, self.count - frame.start_count)
        self._attach(frame.value, stack)
        if not stack:
            self.doc.value = frame.value

    def _scalar_or_alias(self, event: Any, stack: list[_Frame]) -> None:
        if isinstance(event, self.yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self._fatal(event, "yaml-syntax", f"alias *{event.anchor} names no anchor")
            value, size = self.anchors[event.anchor]
            self._attach_path(event, stack)
            self.expanded = True
            self._add_count(event, size)
        else:
            value = self._construct(event)
            self._attach_path(event, stack)
            self._add_count(event, 1)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
        self._attach(value, stack)
        if not stack:
            self.doc.value = value

    # -- helpers ----------------------------------------------------------------

    def _construct(self, event: Any) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = self.resolver.resolve(self.yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _TAG + "merge":
            self._problem(event, "yaml-tag", "merge keys ('<<') are not supported; write the fields out")
            return "<<"
        if tag not in _SCALAR_TAGS:
            self._problem(event, "yaml-tag", f"YAML tag {_shown(tag)!r} is not allowed; only plain values are")
            return None
        if tag == _STR:  # most values: no constructor needed
            return event.value
        node = self.yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, self.yaml.YAMLError):
            self._problem(event, "type", f"cannot read value {event.value[:40]!r} as {tag[len(_TAG) :]}")
            return None

    def _attach_path(self, event: Any, stack: list[_Frame]) -> Path_:
        """Record where the value that ``event`` starts stands; return its path."""
        if not stack:
            path: Path_ = ()
        else:
            frame = stack[-1]
            if isinstance(frame.value, list):
                path = frame.path + (len(frame.value),)
            elif frame.key is _NO_KEY:
                return frame.path  # a key: its position is recorded when its value comes
            else:
                path = frame.path + (frame.key,)
                if self.wanted is not None and path in self.wanted:
                    self.positions[path] = (frame.key_line, self._column_of_key)
                return path
        if self.wanted is not None and path in self.wanted:
            self.positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        return path

    def _attach(self, value: Any, stack: list[_Frame]) -> None:
        if not stack:
            return
        frame = stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(value)
        elif frame.key is _NO_KEY:
            self._take_key(frame, value)
        else:
            frame.value[frame.key] = value
            frame.key = _NO_KEY

    def _take_key(self, frame: _Frame, key: Any) -> None:
        mark = self._last_mark
        if isinstance(key, (dict, list)):
            self.doc.problems.append(
                Problem(self.doc.file, mark[0], mark[1], "error", "type", "a mapping key must be a plain value")
            )
            key = repr(key)[:40]
        if key in frame.seen:
            self.doc.problems.append(
                Problem(
                    self.doc.file,
                    mark[0],
                    mark[1],
                    "error",
                    "duplicate-key",
                    f"duplicate key {str(key)!r}: also at line {frame.seen[key]}; YAML would keep only the last",
                )
            )
        else:
            frame.seen[key] = mark[0]
        frame.key = key
        frame.key_line = mark[0]
        self._column_of_key = mark[1]

    def _add_count(self, event: Any, size: int) -> None:
        self._last_mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.count += size
        if self.count > MAX_VALUES:
            if self.expanded:
                raise self._fatal(event, "alias-limit", f"aliases expand the document past {MAX_VALUES:,} values")
            raise self._fatal(event, "value-limit", f"the document holds more than {MAX_VALUES:,} values")

    def _problem(self, event: Any, check: str, message: str) -> None:
        mark = event.start_mark
        self.doc.problems.append(Problem(self.doc.file, mark.line + 1, mark.column + 1, "error", check, message))

    def _fatal(self, event: Any, check: str, message: str) -> DataError:
        mark = event.start_mark
        return _unreadable(self.doc.file, check, message, mark.line + 1, mark.column + 1)
