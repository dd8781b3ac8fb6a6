"""The layering of `app/` (ARCHITECTURE.md), checked on the module-level imports.

Imports inside functions are late on purpose and not counted: they cannot make an import
cycle at load time. What is counted is what Python runs when a module is first imported.
"""
import ast
import pathlib

APP = pathlib.Path(__file__).resolve().parent.parent / "app"

# A layer may import itself and the layers listed here, nothing above it.
ALLOWED = {
    "models": {"extensions"},
    "persian": set(),
    "infra": {"extensions", "models", "persian"},
    "domain": {"extensions", "models", "persian", "infra"},
    "forms": {"extensions", "models", "persian", "infra", "domain"},
    "web": {"extensions", "models", "persian", "infra", "domain"},
    "views": {"extensions", "models", "persian", "infra", "domain", "forms", "web"},
    "api": {"extensions", "models", "persian", "infra", "domain", "forms", "web"},
    "cli": {"extensions", "models", "persian", "infra", "domain"},
}
# FAB's security manager names the user screens it serves; that is its job, not a leak.
EXCEPTIONS = {("app.web.security_manager", "app.views.users")}


def _modules() -> dict[str, pathlib.Path]:
    modules = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _top_level_imports(tree: ast.Module):
    """Import statements Python runs at import time: not inside a function or class."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending.extend(ast.iter_child_nodes(node))
        elif isinstance(node, ast.ExceptHandler):
            pending.extend(node.body)


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                assert node.level == 0, f"{name}: relative import"
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
                           else node.module for alias in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_import_cycle_among_app_modules():
    assert _cycles(import_graph()) == []


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_every_package_of_app_has_a_layer():
    packages = {_layer(m) for m, p in _modules().items() if p.name == "__init__.py" and m != "app"}
    assert packages == set(ALLOWED)
    loose = sorted(m for m, p in _modules().items() if p.parent == APP and m != "app")
    assert len(loose) + 1 <= 5, loose  # at most five modules directly in app/, __init__ included


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for module, targets in import_graph().items():
        layer = _layer(module)
        if layer not in ALLOWED:
            continue
        for target in targets:
            other = _layer(target)
            if other and other != layer and other not in ALLOWED[layer] \
                    and (module, target) not in EXCEPTIONS:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_models_import_nothing_above_them_not_even_late():
    """Models are the floor: not even an import inside a function reaches up into a rule."""
    wrong = []
    for module, path in _modules().items():
        if _layer(module) != "models":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app."):
                if _layer(node.module) not in {"models", "extensions"}:
                    wrong.append(f"{module} -> {node.module}")
    assert wrong == []


def test_no_file_in_app_over_400_lines():
    long_files = {str(p.relative_to(APP.parent)): n for p in APP.rglob("*.py")
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long_files == {}
