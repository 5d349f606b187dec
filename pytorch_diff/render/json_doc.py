"""JSON: one document per invocation, built from the query result itself.

Shape (see README, "Output"): ``{"schema_version": 2, "kind": ..., <the result's
fields>..., "sources": {id: {"id", "title", "url", "checked"}}}``, ``sources`` always last
and holding every source the document cites.  Keys keep the order of the record's
fields, so the output is stable.  ``pytorch_diff/schemas/`` has a JSON Schema for each
kind of document.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import IO, Any

from ..model import Api, Model, Project, Version
from ..query.results import (
    DoctorResult,
    MatrixView,
    ProjectList,
    ReleaseDiff,
    ReleaseList,
    ReleaseView,
    SearchResult,
    Validation,
)
from ..text import unsafe_characters

JSON_SCHEMA_VERSION = 2

KINDS = {
    ReleaseView: "release",
    ReleaseDiff: "comparison",
    MatrixView: "matrix",
    Project: "project",
    ProjectList: "projects",
    ReleaseList: "releases",
    SearchResult: "search",
    Validation: "validation",
    DoctorResult: "doctor",
}


def write_json(result: Any, model: Model | None, out: IO[str]) -> None:
    """Write the one JSON document of ``result``.

    JSON escapes C0 controls itself; C1 controls and bidi, format and separator characters
    are escaped too (``\\u202e``), so that no reader's terminal acts on them.  On an output
    that is not UTF-8, everything beyond ASCII is escaped rather than lost.
    """
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    text = json.dumps(json_document(result, model), ensure_ascii=encoding not in ("utf8", "utf8sig"), indent=2)
    out.write(_escape_unsafe(text) + "\n")


def _escape_unsafe(text: str) -> str:
    if text.isascii():
        return text
    return "".join(_json_escape(c) if unsafe_characters(c) else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP, JSON spells a character as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_document(result: Any, model: Model | None) -> dict[str, Any]:
    """The JSON document of a query result."""
    kind = KINDS[type(result)]
    document: dict[str, Any] = {"schema_version": JSON_SCHEMA_VERSION, "kind": kind}
    if isinstance(result, Project):  # a record with a "kind" of its own: it gets its own key
        document[kind] = _plain(result)
    else:
        document.update(_plain(result))
    if isinstance(result, ReleaseDiff):
        document["counts"] = {kind: result.count(kind) for kind in ("added", "changed", "deprecated", "removed")}
        document["counts"]["breaking"] = sum(1 for change in result.changes if change.breaking)
    elif isinstance(result, Validation):
        document["errors"], document["warnings"] = result.errors, result.warnings
    elif isinstance(result, MatrixView):
        document["changed_cells"] = result.changed_cells
    elif isinstance(result, DoctorResult):
        counts = {re.sub(r"[^a-z]+", "_", status): n for status, n in result.counts().items()}
        document["counts"] = {"checked": len(result.checks), **counts}
    cited: dict[str, None] = {}
    _collect_sources(document, cited)
    document.pop("sources", None)  # a result's own source ids are in the map below: it comes last
    known = model.sources if model is not None else {}
    document["sources"] = {i: _plain(known[i]) for i in cited if i in known}
    return document


def _plain(value: Any) -> Any:
    if isinstance(value, (Version, dt.date)):
        return str(value)
    if isinstance(value, Api):  # only what is set: most names are just a kind and a name
        fields = value._asdict()
        return {k: _plain(v) for k, v in fields.items() if _is_set(v) or (k == "rename" and value.replaced_by)}
    if hasattr(value, "_asdict"):  # a typed record (NamedTuple): its fields, in order
        return {name: _plain(item) for name, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _is_set(value: Any) -> bool:
    return not (value is None or value is False or value == "" or value == ())


def _collect_sources(value: Any, cited: dict[str, None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                cited.update(dict.fromkeys(i for i in item if isinstance(i, str)))
            else:
                _collect_sources(item, cited)
    elif isinstance(value, list):
        for item in value:
            _collect_sources(item, cited)
