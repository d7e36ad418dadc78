"""The package's shape: data flows one way (no import circle), and the command line starts without heavy libraries."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

PACKAGE = ROOT / "src" / "aicorpus"
HEAVY = ("sklearn", "datasets", "scipy", "matplotlib")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports, at the top or inside a function (a lazy import is an edge too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "aicorpus"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "aicorpus":
                continue
            # `from . import card` imports the module aicorpus.card; `from .x import f` the module aicorpus.x
            modules = {f"{target}.{a.name}" for a in node.names if (PACKAGE.parent / f"{target}.{a.name}".replace(".", "/")).with_suffix(".py").exists()
                       or (PACKAGE.parent / f"{target}.{a.name}".replace(".", "/") / "__init__.py").exists()}
            out |= modules or {target}
    return out - {name}


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first = last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_finder_sees_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert "aicorpus.conversion" in import_graph()["aicorpus.build"]  # relative imports are resolved
    assert "aicorpus.card" in import_graph()["aicorpus.build"]  # so is `from . import card`


def test_no_import_circle():
    assert find_cycle(import_graph()) is None


def test_record_validation_is_the_bottom_layer():
    graph = import_graph()
    assert graph["aicorpus.validate"] <= {"aicorpus.errors"}
    for below in ("aicorpus.validate", "aicorpus.conversion", "aicorpus.labels", "aicorpus.manifest", "aicorpus.build"):
        assert "aicorpus.review" not in graph[below], below  # the review of contributed files sits above them
    for light in ("aicorpus.conversion", "aicorpus.review", "aicorpus.validate"):
        assert "aicorpus.build" not in graph[light], light


def loaded_after(code: str, cwd: Path = ROOT) -> list[str]:
    """The heavy libraries loaded after running ``code`` in a fresh interpreter."""
    probe = f"import sys\n{code}\nprint('\\n' + __import__('json').dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert loaded_after("import aicorpus.cli") == []
    assert loaded_after("import scipy.sparse") == ["scipy"]  # the probe sees one when it is there


@pytest.mark.parametrize("argv", [["--help"], ["validate", str(SEEDS["004"])], ["convert", str(SEEDS["000"])]])
def test_light_commands_load_no_heavy_library(argv):
    """validate checks the document against the published corpus (./splits) too, still without them."""
    assert loaded_after(f"from aicorpus.cli import main\nmain({argv!r})") == []
