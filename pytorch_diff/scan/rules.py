"""The rule table: what the model says about each API name, for one ``--from``..``--to`` range.

No rule is written here by hand: every rule is a statement of ``releases.yaml``.

Upgrade rules (as of ``--to``; a name gets the strongest that applies, removed > breaking >
deprecated, the latest release among equals):

- PTD101: removed by a release after ``--from`` and no later than ``--to``.  A name removed at
  or before ``--from`` is not reported: code that runs on the floor cannot be using it.
- PTD102: deprecated by a release no later than ``--to``, and not removed since.  A name that
  was already deprecated at ``--from`` is still reported: the upgrade keeps it on its way out.
- PTD103: named by a statement marked ``breaking`` after ``--from`` and no later than ``--to``.

A statement without API names applies to every name the feature has at that point
(``Feature.apis_in``): a removal without names removes them all.

Floor rule (PTD201): a name first introduced (``api_introductions``) after ``--from`` and no
later than ``--to``: it does not exist on the floor.

The table is plain data (tuples, dicts, strings), so it is sent to worker processes as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..model import Api, Feature, Model, Statement, Version, api_introductions
from .findings import BREAKING, DEPRECATED, FLOOR, REMOVED

# How strong an upgrade finding is, for keeping one per name.
_STRENGTH = {REMOVED: 3, BREAKING: 2, DEPRECATED: 1}


class Rule(NamedTuple):
    """One finding to report wherever the code uses ``api``."""

    code: str
    api: str  # str(api), the display form
    kind: str  # the Api kind
    name: str  # Api.name: dotted for importable names, the bare keyword or value otherwise
    release: str
    change: str
    summary: str
    replacement: tuple[str, ...]  # display forms
    short_replacement: tuple[str, ...]  # "torch.solve"; "gloo"; "device_ids="
    rename: bool  # one replacement, same signature: a safe fix
    new_name: str  # rename only: the replacement's bare name ("torch.solve", "gloo", "device_ids")
    sources: tuple[str, ...]  # URLs


class ValueRule(NamedTuple):
    """Rules for a string value passed to a callable, by keyword or at ``position``."""

    argument: str
    value: str
    position: int | None
    rules: tuple[Rule, ...]


class RuleTable(NamedTuple):
    """Every rule, keyed the way the resolver looks them up."""

    names: dict[str, tuple[Rule, ...]]  # dotted name -> rules (module, function, class, attribute)
    keywords: dict[str, dict[str, tuple[Rule, ...]]]  # callable -> keyword -> rules
    values: dict[str, tuple[ValueRule, ...]]  # callable -> string-value rules
    roots: frozenset[str]  # first components of every name: imports of anything else are not followed

    @property
    def empty(self) -> bool:
        """True when nothing can be found: the range has no rule at all."""
        return not (self.names or self.keywords or self.values)


def build_rules(model: Model, start: Version, end: Version) -> RuleTable:
    """The rule table for an upgrade from ``start`` (the floor) to ``end`` (the target)."""
    urls = {source_id: source.url for source_id, source in model.sources.items()}
    chosen: dict[str, tuple[Rule, Api]] = {}
    for feature in model.features:
        for key, (rule, api) in _upgrade_rules(feature, start, end, urls).items():
            held = chosen.get(key)
            if held is None or _stronger(rule, held[0]):
                chosen[key] = (rule, api)
    rules: list[tuple[Rule, Api]] = list(chosen.values())
    rules += _floor_rules(model.features, start, end, urls)
    return _table(rules)


def _upgrade_rules(feature: Feature, start: Version, end: Version, urls: dict[str, str]) -> dict[str, tuple[Rule, Api]]:
    """The strongest upgrade rule of each name of one feature, walking its history up to ``end``."""
    names: dict[str, Api] = {}  # the feature's names so far, as their latest statement gives them
    found: dict[str, tuple[Rule, Api]] = {}
    for statement in feature.history:
        if statement.release > end:
            break
        targets = statement.apis or tuple(names.values())
        if statement.change == "removed":
            for api in targets:
                key = str(api)
                earlier = names.pop(key, api)
                if statement.release <= start:
                    found.pop(key, None)  # gone before the floor: code that runs there cannot use it
                    continue
                # A removal usually repeats the name bare; the deprecation said what replaces it.
                replaced = api if api.replaced_by else earlier
                found[key] = (_rule(REMOVED, replaced, statement, urls), api)
            continue
        names.update((str(api), api) for api in statement.apis)
        code = BREAKING if statement.breaking and statement.release > start else None
        if statement.change == "deprecated" and code is None:
            code = DEPRECATED
        if code is None:
            continue
        for api in targets:
            rule = _rule(code, names.get(str(api), api), statement, urls)
            held = found.get(str(api))
            if held is None or _stronger(rule, held[0]):
                found[str(api)] = (rule, api)
    return found


def _floor_rules(
    features: Iterable[Feature], start: Version, end: Version, urls: dict[str, str]
) -> list[tuple[Rule, Api]]:
    """PTD201 for every name introduced after ``start`` and no later than ``end``."""
    features = tuple(features)
    first = api_introductions(features)
    rules: list[tuple[Rule, Api]] = []
    seen: set[str] = set()
    for feature in features:
        for statement in feature.history:
            for api in statement.apis:
                key = str(api)
                release = first.get(key)
                if key in seen or release is None or statement.release != release or not start < release <= end:
                    continue
                seen.add(key)
                summary = statement.summary or feature.summary
                introduced = statement._replace(summary=summary, sources=statement.sources or feature.sources)
                rules.append((_rule(FLOOR, api._replace(replaced_by=(), rename=False), introduced, urls), api))
    return rules


def _rule(code: str, api: Api, statement: Statement, urls: dict[str, str]) -> Rule:
    replaced = api.replaced_by
    if api.importable:
        display, short = replaced, replaced
    else:
        display = tuple(str(api._replace(name=name)) for name in replaced)
        short = tuple(f"{name}=" if api.kind == "keyword" else repr(name) for name in replaced)
    rename = api.rename and len(replaced) == 1
    return Rule(
        code=code,
        api=str(api),
        kind=api.kind,
        name=api.name,
        release=str(statement.release),
        change=statement.change,
        summary=statement.summary,
        replacement=display,
        short_replacement=short,
        rename=rename,
        new_name=replaced[0] if rename else "",
        sources=tuple(urls[s] for s in statement.sources if s in urls),
    )


def _stronger(rule: Rule, than: Rule) -> bool:
    """Removed beats breaking beats deprecated; among equals, the later release."""
    ours, theirs = _STRENGTH[rule.code], _STRENGTH[than.code]
    if ours != theirs:
        return ours > theirs
    return _version(rule.release) > _version(than.release)


def _version(text: str) -> Version:
    return Version.parse(text) or Version(0, 0)


def _table(rules: Iterable[tuple[Rule, Api]]) -> RuleTable:
    names: dict[str, list[Rule]] = {}
    keywords: dict[str, dict[str, list[Rule]]] = {}
    values: dict[tuple[str, str, str, int | None], list[Rule]] = {}
    roots: set[str] = set()
    for rule, api in rules:
        if api.importable:
            names.setdefault(api.name, []).append(rule)
            roots.add(api.name.split(".")[0])
        elif api.kind == "keyword":
            keywords.setdefault(api.of, {}).setdefault(api.name, []).append(rule)
            roots.add(api.of.split(".")[0])
        else:
            values.setdefault((api.of, api.argument, api.name, api.position), []).append(rule)
            roots.add(api.of.split(".")[0])
    by_callable: dict[str, list[ValueRule]] = {}
    for (of, argument, value, position), found in values.items():
        by_callable.setdefault(of, []).append(ValueRule(argument, value, position, tuple(found)))
    return RuleTable(
        names={name: tuple(found) for name, found in names.items()},
        keywords={of: {k: tuple(v) for k, v in by_kw.items()} for of, by_kw in keywords.items()},
        values={of: tuple(found) for of, found in by_callable.items()},
        roots=frozenset(roots),
    )
