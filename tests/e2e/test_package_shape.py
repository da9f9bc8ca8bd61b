"""The package keeps the shape README.md describes (issue #19): a folder per stage, small
modules, one door to other projects' internals and one place that starts processes."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "digest"
MODULES = sorted(PACKAGE.rglob("*.py"))
RENDERERS = ("mkdocs", "material", "pagefind", "properdocs")


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every import in a file; name is '' for `import module`."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def _shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_stages_are_folders_and_few_modules_sit_beside_them() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    stages = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    assert len(top) <= 10, top
    assert len(stages) >= 5, stages


def test_no_module_is_over_500_lines() -> None:
    long = {_shown(p): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_only_compat_touches_private_names_of_the_renderer_or_pagefind() -> None:
    found = {}
    for path in MODULES:
        if path.name == "compat.py":
            continue
        private = [f"{module}.{name}" for module, name in _imports(path)
                   if module.split(".")[0] in RENDERERS
                   and (name.startswith("_") or any(part.startswith("_")
                                                    for part in module.split(".")))]
        if private:
            found[_shown(path)] = private
    assert found == {}


def test_only_util_processes_starts_processes() -> None:
    """Threads are fine elsewhere (Pagefind's event loop); a process is started in one place."""
    starters = {"multiprocessing", "subprocess"}
    found = {}
    for path in MODULES:
        if path == PACKAGE / "util" / "processes.py":
            continue
        text = path.read_text(encoding="utf-8")
        used = sorted({m for m, _ in _imports(path) if m.split(".")[0] in starters}
                      | {call for call in ("os.fork", "ProcessPoolExecutor", "os.spawn",
                                           "os.system", "os.popen") if call in text})
        if used:
            found[_shown(path)] = used
    assert found == {}
