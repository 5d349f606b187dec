"""Which names of a syntax tree are the APIs of the rule table: stdlib ``ast``, scope by scope.

What is resolved:

- every import form: ``import torch``, ``import torch as th``, ``import torch.distributed``
  (binds ``torch``), ``import torch.distributed as dist``, ``from torch import gesv``,
  ``from torch.distributed import reduce_op as ro``, ``from torch import *``.  Relative
  imports, and imports of packages no rule is about, bind names to nothing.  An import of a
  named API is itself a use, reported at the imported name;
- attribute chains, called or not (``fn = torch.gesv``): ``dist.reduce_op.SUM`` names
  ``torch.distributed.reduce_op`` once, at the column where the chain starts.  A chain
  reports every rule whose name is the chain's full name or a dotted prefix of it (a use of
  ``torch.legacy.nn.Linear`` is a use of ``torch.legacy``);
- keyword arguments of a known callable, under any alias, and string values where the model
  names them, by keyword (``backend="tcp"``) or at their position (``init_process_group("tcp")``).

Scopes follow Python: module, class body, function (its body is checked after the enclosing
scope, so that it sees that scope's final names, as a call would), lambda and comprehension.
Within a scope, names are followed in statement order: a parameter, an assignment, a ``def``,
a ``for`` target or any other binding of ``gesv`` shadows ``torch.gesv`` from there on.
Assignments never create aliases: ``f = torch.gesv`` reports the reference and makes ``f``
a local name.  Where the branches of an ``if`` or a ``try`` bind one name to different
things (``try: from torch import solve`` / ``except ImportError: from torch import gesv as
solve``), the name resolves to nothing after the statement.

Guards: a use inside ``try:`` (its body and its handlers) whose handlers catch ImportError,
ModuleNotFoundError, AttributeError, Exception or BaseException (or everything), or inside
either branch of an ``if`` or conditional expression that tests ``torch.__version__`` or
``hasattr(torch…, …)``, is reported as *guarded*: at a lower level (SARIF ``note``, GitHub
``notice``), marked so in every format, and never counted by ``--fail-on``.  Compatibility
code is expected there, but a broad ``except Exception`` can hide a real use, so it is shown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from .edits import Edit, chain_edit, import_edit, keyword_edit, value_edit
from .rules import Rule, RuleTable

GUARD_EXCEPTIONS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError", "Exception", "BaseException"})


class Hit(NamedTuple):
    """A use of a rule's API, in ast's terms (1-based lines, 0-based UTF-8 byte offsets)."""

    rule: Rule
    cell: int | None
    line: int
    col: int
    end_line: int
    end_col: int
    guarded: bool
    edit: Edit | None


class _Scope:
    __slots__ = ("kind", "parent", "names", "declared")

    def __init__(self, kind: str, parent: _Scope | None) -> None:
        self.kind = kind  # "module", "class" or "function" (lambdas and comprehensions too)
        self.parent = parent
        self.names: dict[str, str | None] = {}  # name -> the qualified name it is bound to, or None
        self.declared: set[str] = set()  # `global`/`nonlocal` names: not local to this scope


class _Deferred(NamedTuple):
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    parent: _Scope
    guard: int
    cell: int | None
    lines: Sequence[str]


class Resolver:
    """Collects the ``Hit``s of one module.

    ``run`` each tree (a file, or each cell of a notebook, in order), then ``finish``.
    """

    def __init__(self, rules: RuleTable) -> None:
        self.rules = rules
        self.hits: list[Hit] = []
        self.module = _Scope("module", None)
        self.scope = self.module
        self.stars: list[str] = []  # modules of `from torch import *`
        self.guard = 0
        self.probe = False  # set while visiting the test of an `if`: whether it looks at torch's version
        self.cell: int | None = None
        self.lines: Sequence[str] = ()
        self._deferred: list[_Deferred] = []

    # -- driving ------------------------------------------------------------------

    def run(self, tree: ast.Module, lines: Sequence[str], cell: int | None = None) -> None:
        """Resolve the module-level code of ``tree``; ``lines`` are its source lines, for fixes."""
        self.scope, self.guard, self.cell, self.lines = self.module, 0, cell, lines
        self._body(tree.body)

    def finish(self) -> list[Hit]:
        """Resolve the deferred function bodies, and return every hit."""
        index = 0
        while index < len(self._deferred):  # bodies may defer nested ones: they are appended
            item = self._deferred[index]
            index += 1
            scope = _Scope("function", item.parent)
            arguments = item.node.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                scope.names[arg.arg] = None
            for star in (arguments.vararg, arguments.kwarg):
                if star is not None:
                    scope.names[star.arg] = None
            self.scope, self.guard, self.cell, self.lines = scope, item.guard, item.cell, item.lines
            if isinstance(item.node, ast.Lambda):
                self.visit(item.node.body)
            else:
                self._body(item.node.body)
        self._deferred.clear()
        return self.hits

    def visit(self, node: ast.AST) -> None:
        """Visit ``node`` with its handler, or its children."""
        handler = _DISPATCH.get(type(node))
        if handler is not None:
            handler(self, node)
            return
        fields = _FIELDS.get(type(node))
        if fields is None:
            fields = _FIELDS[type(node)] = tuple(f for f in node._fields if f not in _NOT_CHILDREN)
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _body(self, statements: Sequence[ast.AST]) -> None:
        for statement in statements:
            self.visit(statement)

    # -- names --------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        """The qualified name ``name`` is bound to here, or None (local, unknown or a builtin)."""
        scope: _Scope | None = self.scope
        first = True
        while scope is not None:
            if name in scope.declared:
                scope, first = self.module, False
            if (first or scope.kind != "class") and name in scope.names:
                return scope.names[name]
            first, scope = False, scope.parent
        for module in self.stars:
            if f"{module}.{name}" in self.rules.names:
                return f"{module}.{name}"
        return None

    def bind(self, name: str, value: str | None) -> None:
        """Bind ``name`` in the current scope (or the module, for a ``global``)."""
        scope = self.module if name in self.scope.declared else self.scope
        scope.names[name] = value

    def qualified(self, node: ast.AST) -> str | None:
        """The dotted name an expression such as ``dist.reduce_op`` stands for, or None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.lookup(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    # -- reporting ----------------------------------------------------------------

    def _hit(self, rule: Rule, start: ast.AST, end: ast.AST, edit: Edit | None, name_end: int | None = None) -> None:
        line, col = start.lineno, start.col_offset  # type: ignore[attr-defined]
        end_line = end.end_lineno or line  # type: ignore[attr-defined]
        end_col = end.end_col_offset if name_end is None else name_end  # type: ignore[attr-defined]
        if name_end is not None:
            end_line = line
        self.hits.append(Hit(rule, self.cell, line, col, end_line, end_col or col, self.guard > 0, edit))

    def _chain(self, qualified: str, base: ast.Name, attributes: list[ast.Attribute]) -> None:
        """Report the rules of the chain's full name and of each of its dotted prefixes.

        ``qualified`` is what ``base`` is bound to; prefixes up to it end where ``base`` does.
        """
        names = self.rules.names
        parts = qualified.split(".") + [attribute.attr for attribute in attributes]
        bound = qualified.count(".") + 1
        key = ""
        for index, part in enumerate(parts):
            key = f"{key}.{part}" if index else part
            found = names.get(key)
            if found:
                end: ast.AST = base if index < bound else attributes[index - bound]
                for rule in found:
                    self._hit(rule, base, end, chain_edit(rule, base, end, self.lines))

    # -- imports ------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            root = alias.name.split(".")[0]
            if root not in self.rules.roots:
                self.bind(alias.asname or root, None)
                continue
            self._imported(alias.name, alias, module="")
            self.bind(alias.asname or root, alias.name if alias.asname else root)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        known = node.level == 0 and module.split(".")[0] in self.rules.roots
        for alias in node.names:
            if alias.name == "*":
                if known:
                    self.stars.append(module)
                    self._imported(module, node, module=None)
                continue
            full = f"{module}.{alias.name}"
            if known:
                self._imported(full, alias, module=module)
            self.bind(alias.asname or alias.name, full if known else None)

    def _imported(self, name: str, at: ast.alias | ast.ImportFrom, module: str | None) -> None:
        """Report every rule on ``name`` or a prefix of it at an import; ``module``: the from-module, if any."""
        names = self.rules.names
        parts = name.split(".")
        for index in range(1, len(parts) + 1):
            key = ".".join(parts[:index])
            for rule in names.get(key, ()):
                if isinstance(at, ast.alias):  # the imported name, not the whole `import … as …`
                    edit = import_edit(rule, at, module, self.lines) if key == name and module is not None else None
                    self._hit(rule, at, at, edit, name_end=at.col_offset + len(at.name.encode("utf-8")))
                else:
                    self._hit(rule, at, at, None)

    # -- names, attributes, calls ---------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.bind(node.id, None)
            return
        qualified = self.lookup(node.id)
        if qualified is not None:
            self.probe |= qualified.endswith(".__version__")
            self._chain(qualified, node, [])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attributes: list[ast.Attribute] = []
        base: ast.AST = node
        while isinstance(base, ast.Attribute):
            attributes.append(base)
            base = base.value
        if isinstance(base, ast.Name):
            if isinstance(node.ctx, ast.Load):  # `torch.gesv = shim` defines, it does not use
                qualified = self.lookup(base.id)
                if qualified is not None:
                    self.probe |= any(a.attr == "__version__" for a in attributes)
                    self._chain(qualified, base, attributes[::-1])
            return
        self.visit(base)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "hasattr" and node.args:
            self.probe |= self.qualified(node.args[0]) is not None
        if self.rules.keywords or self.rules.values:
            callee = self.qualified(node.func)
            if callee is not None:
                self._arguments(callee, node)
        self.visit(node.func)
        for argument in node.args:
            self.visit(argument)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def _arguments(self, callee: str, node: ast.Call) -> None:
        for keyword in node.keywords:
            for rule in self.rules.keywords.get(callee, {}).get(keyword.arg or "", ()):
                end = keyword.col_offset + len((keyword.arg or "").encode("utf-8"))
                self._hit(rule, keyword, keyword, keyword_edit(rule, keyword, end, self.lines), name_end=end)
        for value_rule in self.rules.values.get(callee, ()):
            for keyword in node.keywords:
                if keyword.arg == value_rule.argument:
                    self._value(keyword.value, value_rule.value, value_rule.rules)
            position = value_rule.position
            if position is not None and position < len(node.args):
                if not any(isinstance(arg, ast.Starred) for arg in node.args[: position + 1]):
                    self._value(node.args[position], value_rule.value, value_rule.rules)

    def _value(self, node: ast.expr, value: str, rules: tuple[Rule, ...]) -> None:
        if not (isinstance(node, ast.Constant) and node.value == value and isinstance(node.value, str)):
            return
        for rule in rules:
            self._hit(rule, node, node, value_edit(rule, node, self.lines))

    # -- binding statements, in evaluation order ------------------------------------

    def visit_Constant(self, node: ast.Constant) -> None:
        pass  # a leaf: strings are only looked at as arguments of known callables

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        self._body(node.body)
        self._body(node.orelse)

    visit_AsyncFor = visit_For

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        if self.scope.kind == "function":
            self.scope.declared.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name is not None:
            self.bind(node.name, None)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self.bind(node.name, None)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for child in (*node.keys, *node.patterns):
            self.visit(child)
        if node.rest is not None:
            self.bind(node.rest, None)

    # -- scopes -------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._signature(node.args)
        for arg in self._all_args(node.args):
            if arg.annotation is not None:
                self.visit(arg.annotation)
        if node.returns is not None:
            self.visit(node.returns)
        self.bind(node.name, None)
        self._deferred.append(_Deferred(node, self.scope, self.guard, self.cell, self.lines))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._signature(node.args)
        self._deferred.append(_Deferred(node, self.scope, self.guard, self.cell, self.lines))

    def _signature(self, arguments: ast.arguments) -> None:
        for default in (*arguments.defaults, *arguments.kw_defaults):
            if default is not None:
                self.visit(default)

    @staticmethod
    def _all_args(arguments: ast.arguments) -> list[ast.arg]:
        found = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        return found + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(expression)
        outer = self.scope
        self.scope = _Scope("class", outer)
        self._body(node.body)
        self.scope = outer
        self.bind(node.name, None)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        outer = self.scope
        self.scope = _Scope("function", outer)
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self.visit(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.scope = outer

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    # -- branches and guards --------------------------------------------------------

    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(self._catches(handler.type) for handler in node.handlers)
        before = dict(self.scope.names)
        self.guard += guarded
        self._body(node.body)
        branches = [self.scope.names]
        for handler in node.handlers:
            self.scope.names = dict(before)
            if handler.type is not None:
                self.visit(handler.type)
            if handler.name:
                self.bind(handler.name, None)
            self._body(handler.body)
            branches.append(self.scope.names)
        self.guard -= guarded
        self.scope.names = _merge(before, branches)
        self._body(node.orelse)
        self._body(node.finalbody)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        guarded = self._test(node.test)
        before = dict(self.scope.names)
        self.guard += guarded
        self._body(node.body)
        branches = [self.scope.names]
        self.scope.names = dict(before)
        self._body(node.orelse)
        branches.append(self.scope.names)
        self.guard -= guarded
        self.scope.names = _merge(before, branches)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        guarded = self._test(node.test)
        self.guard += guarded
        self.visit(node.body)
        self.visit(node.orelse)
        self.guard -= guarded

    def _catches(self, kind: ast.expr | None) -> bool:
        if kind is None:
            return True  # a bare except catches everything
        if isinstance(kind, ast.Tuple):
            return any(self._catches(element) for element in kind.elts)
        if isinstance(kind, ast.Name):
            return kind.id in GUARD_EXCEPTIONS
        return isinstance(kind, ast.Attribute) and kind.attr in GUARD_EXCEPTIONS

    def _test(self, test: ast.expr) -> bool:
        """Visit a condition; whether it looks at the torch version or tests for an attribute of torch."""
        outer, self.probe = self.probe, False
        self.visit(test)
        found, self.probe = self.probe, outer or self.probe
        return found


# The handler of each node type that needs one: the visit_* methods, by the ast class they name.
_DISPATCH: dict[type, Callable[[Resolver, Any], None]] = {
    getattr(ast, name[len("visit_") :]): function
    for name, function in vars(Resolver).items()
    if name.startswith("visit_") and name != "visit_" and hasattr(ast, name[len("visit_") :])
}


# Fields that never hold a node worth visiting: contexts and operators.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _merge(before: dict[str, str | None], branches: list[dict[str, str | None]]) -> dict[str, str | None]:
    """The names after alternative branches: where they disagree on a name, it resolves to nothing."""
    merged = dict(before)
    changed = {name for branch in branches for name, value in branch.items() if before.get(name, "") != value}
    for name in changed:
        values = {branch[name] for branch in branches if name in branch}
        merged[name] = values.pop() if len(values) == 1 else None
    return merged
