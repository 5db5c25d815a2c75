"""The engine and every task type's models import no Textual (DESIGN §4)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _engine_files() -> list[Path]:
    files = sorted((REPO / "tui" / "core").rglob("*.py"))
    for package in sorted((REPO / "task_types").iterdir()):
        if package.is_dir() and (package / "__init__.py").exists():
            # The type's registration and models are engine; its other modules may be UI.
            files += [p for p in (package / "__init__.py", package / "models.py") if p.exists()]
    files += [p for p in (REPO / "task_types").glob("*.py")]
    return files


def test_no_textual_import_in_engine_sources() -> None:
    offenders = []
    for path in _engine_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if (
                    name == "textual"
                    or name.startswith("textual.")
                    or name.startswith("tui.screens")
                    or name in ("tui.app", "tui.task_view")
                ):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} imports {name}")
    assert offenders == []


def test_importing_engine_and_all_task_types_loads_no_textual() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import tui.core\n"
        "for m in pkgutil.walk_packages(tui.core.__path__, 'tui.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "from task_types.registry import all_task_types\n"
        "types = all_task_types()\n"
        "assert {'binary', 'classify'} <= set(types), types\n"
        "for name in types:\n"
        "    importlib.import_module(f'task_types.{name}.models')\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(types)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_task_type_follows_the_contract() -> None:
    from task_types.registry import all_task_types
    from tui.core.keymap import build_keymap

    for name, task_type in all_task_types().items():
        assert task_type.keymap_file.is_file(), f"{name} has no keys.toml"
        keymap = build_keymap(task_type)
        assert keymap.problems == [], f"{name}: {keymap.problems}"
        assert keymap.conflicts() == [], f"{name}: {keymap.conflicts()}"
        for spec in task_type.bindings:
            assert keymap.keys_for(f"{name}.{spec.id}"), f"{name}.{spec.id} has no default key"
        view = task_type.view_class()
        assert view.__name__.endswith("View")


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_the_task_type_contract_is_the_ground_floor() -> None:
    """The contract (tui/core/task_type.py) and the registry beside it import nothing above
    them; every type's registration and models use only the contract of the app (through
    task_types/base.py or directly): the engine and the views build on them, never the
    other way round."""
    # The translation layer belongs to the contract: a task type marks its binding
    # descriptions and summaries for translation (tui/core/i18n.py imports only the
    # standard library at module level).
    contract = {"tui.core.task_type", "tui.core.task_registry", "tui.core.i18n"}
    offenders = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in (
            REPO / "tui" / "core" / "task_type.py",
            REPO / "tui" / "core" / "task_registry.py",
        )
        for line, name in _imports(path)
        if (name.startswith("tui") and name not in contract) or name.startswith("task_types")
    ]
    ground = [REPO / "task_types" / n for n in ("base.py", "registry.py", "common.py")]
    for package in sorted((REPO / "task_types").iterdir()):
        if package.is_dir() and (package / "__init__.py").exists():
            ground += [p for p in (package / "__init__.py", package / "models.py") if p.exists()]
    offenders += [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in ground
        for line, name in _imports(path)
        if (name == "tui" or name.startswith("tui.")) and name not in contract
    ]
    assert offenders == []


def test_the_engine_imports_no_task_type() -> None:
    """tui/core names task types only through the registry (found at run time)."""
    offenders = [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in sorted((REPO / "tui" / "core").rglob("*.py"))
        for line, name in _imports(path)
        if name.startswith("task_types")
    ]
    assert offenders == []
