"""The dependency picture of DESIGN.md, checked on the source: apps depend downward only,
nobody imports the api or web apps, and no app imports another app's views."""

import ast
from pathlib import Path

import pytest

import diarium

SRC = Path(diarium.__file__).parent

# Bottom to top. An app may import the apps listed before it, never those after it.
LAYERS = [
    "core", "audit", "organisation", "search", "documents", "plan", "registry",
    "archive", "diarymigration", "board", "disclosure", "public", "operations", "api", "web",
]
# Modules at the package root (settings, urls, wsgi, the CLI) compose everything.
ROOT_MODULES = {"settings", "urls", "wsgi", "asgi", "__main__", "__init__"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name.startswith("diarium.")]


def _violations(app: str) -> list[str]:
    found = []
    for path in sorted((SRC / app).rglob("*.py")):
        for module in _imports(path):
            target = module.split(".")[1]
            where = path.relative_to(SRC)
            if target == app or target in ROOT_MODULES:
                continue
            if target not in LAYERS or LAYERS.index(target) > LAYERS.index(app):
                found.append(f"{where}: {app} imports {module}")
            elif app not in ("api", "web") and _is_views(module):
                found.append(f"{where}: imports another app's views {module}")
    return found


def _is_views(module: str) -> bool:
    parts = module.split(".")[2:]
    return any(part == "views" or part.startswith("views_") for part in parts)


APPS = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def test_every_app_is_placed() -> None:
    assert set(APPS) <= set(LAYERS), set(APPS) - set(LAYERS)


@pytest.mark.parametrize("app", APPS)
def test_imports_go_downward(app: str) -> None:
    assert _violations(app) == []
