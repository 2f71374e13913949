"""Import cycles between the modules of a package, counting imports inside functions too.

A function-level import that hides a cycle is still a cycle: it only moves the failure from
import time to call time. `if TYPE_CHECKING:` imports are not counted (they never run).
It also reports every module other than a `tasks` or `dispatch` module that imports a `tasks`
module: only those build Celery messages (README, layout), so services never reach for tasks.

    python -m devtools.import_cycles app      # exit 1 and one line per cycle or misplaced import
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name → file, for every module of the package at `root`."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _imports(ast.Module(body=node.orelse, type_ignores=[]))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def imported_modules(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of `known` that module `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    known = module_names(root)
    return {name: imported_modules(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted, biggest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep graph cannot hit the recursion limit.
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found, key=lambda c: (-len(c), c))


TASK_MODULE = "tasks"
MAY_IMPORT_TASKS = frozenset({TASK_MODULE, "dispatch"})


def _leaf(name: str) -> str:
    return name.rpartition(".")[2]


def task_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, tasks module) for each module outside tasks/dispatch that imports a tasks module."""
    return sorted(
        (name, target)
        for name, targets in graph.items()
        if _leaf(name) not in MAY_IMPORT_TASKS
        for target in targets
        if _leaf(target) == TASK_MODULE
    )


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "app").resolve()
    graph = import_graph(root)
    found = cycles(graph)
    for component in found:
        print("import cycle: " + " ↔ ".join(component))
    misplaced = task_imports(graph)
    for name, target in misplaced:
        print(f"{name} imports {target}: only tasks.py and dispatch.py may (send work through dispatch.py)")
    return 1 if found or misplaced else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
