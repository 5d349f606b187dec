"""``ptdiff search``: records that contain every word of a query, wherever they are."""

from __future__ import annotations

from ..errors import UsageError
from ..model import Feature, Model, Project
from .results import SearchHit, SearchResult

EXCERPT_BEFORE, EXCERPT_AFTER = 30, 60  # characters of context around the first word found


def search(model: Model, text: str) -> SearchResult:
    """Every feature and project that contains all the words of ``text``, in any field.

    Matching ignores case (``casefold``: "STRASSE" finds "Straße").  Each hit names the
    field that holds the most of the words, and the release of the statement that
    matched when that field is one.
    """
    words = text.casefold().split()
    if not words:
        raise UsageError("search needs some text to look for")
    hits = []
    for feature in model.features:
        hit = _best(_feature_fields(model, feature), words)
        if hit:
            release, field, value = hit
            hits.append(_hit(release, feature.area, "feature", feature.id, feature.title, field, value, words))
    for project in model.projects:
        hit = _best(_project_fields(project), words)
        if hit:
            release, field, value = hit
            hits.append(_hit(release, project.kind, "project", project.id, project.name, field, value, words))
    return SearchResult(text, tuple(hits))


Field = tuple[str, str, str]  # (release, field name, text)


def _feature_fields(model: Model, feature: Feature) -> list[Field]:
    first = str(feature.history[0].release) if feature.history else ""
    area = model.areas.get(feature.area)
    fields = [
        (first, "title", feature.title),
        (first, "summary", feature.summary),
        (first, "id", feature.id),
        (first, "area", f"{feature.area} {area.title if area else ''}"),
    ]
    for statement in feature.history:
        names = " ".join(map(str, statement.apis))
        fields.append((str(statement.release), f"{statement.release} {statement.change}", statement.summary))
        fields.append((str(statement.release), "apis", names))
    fields.append((first, "notes", feature.notes))
    return fields


def _project_fields(project: Project) -> list[Field]:
    release = project.announced.release or project.mentioned_with
    where = str(release) if release else ""
    return [
        (where, "name", project.name),
        (where, "summary", project.summary),
        (where, "relation", project.relation),
        (where, "id", project.id),
        (where, "kind", project.kind),
        (where, "url", project.url),
        (where, "notes", project.notes),
    ]


def _best(fields: list[Field], words: list[str]) -> Field | None:
    """The field holding the most of ``words``, if the fields together hold them all."""
    folded = [value.casefold() for _, _, value in fields]
    if not all(any(word in text for text in folded) for word in words):
        return None
    counts = [sum(word in text for word in words) for text in folded]
    return fields[counts.index(max(counts))]


def _hit(
    release: str, area: str, kind: str, ident: str, title: str, field: str, value: str, words: list[str]
) -> SearchHit:
    spans = find_words(value, words)
    start = spans[0][0] if spans else 0
    excerpt, first, last = _excerpt(value, start)
    shift = first - (1 if excerpt.startswith("…") and first > 0 else 0)
    marks = tuple((a - shift, b - shift) for a, b in spans if first <= a and b <= last)
    return SearchHit(release, area, kind, ident, title, field, excerpt, marks)


def find_words(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where each casefolded word occurs in ``text``, as spans of the original text, in order.

    Casefolding can change lengths ("ß" folds to "ss", "İ" to two characters), so the
    folded text keeps, for each of its characters, the index of the original one.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in char.casefold():
            folded.append(piece)
            origin.append(index)
    haystack = "".join(folded)
    spans = []
    for word in words:
        at = haystack.find(word)
        while at >= 0:
            spans.append((origin[at], origin[at + len(word) - 1] + 1))
            at = haystack.find(word, at + len(word))
    return _merged(sorted(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _excerpt(value: str, at: int) -> tuple[str, int, int]:
    """A window of ``value`` around ``at``, cut at spaces, with "…" where cut.

    Returns the excerpt and the span of ``value`` it shows (without the "…").
    """
    start, end = max(0, at - EXCERPT_BEFORE), min(len(value), at + EXCERPT_AFTER)
    if start > 0:
        space = value.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(value):
        space = value.rfind(" ", at, end)
        end = space if space > at else end
    text = value[start:end].strip()
    first = start + len(value[start:end]) - len(value[start:end].lstrip())
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(value) else ""
    return prefix + text + suffix, first, first + len(text)
