"""The project's own invariants, checked on the source tree (STYLE.md §2.16)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
SOURCE_DIRS = [ROOT / "cityhall", ROOT / "config", ROOT / "bench"]
MAX_MODULE_LINES = 800
MAX_TEST_MODULE_LINES = 500


def _python_files() -> list[Path]:
    return [
        path
        for directory in SOURCE_DIRS
        if directory.exists()
        for path in directory.rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_no_module_is_longer_than_the_limit():
    too_long = {}
    for path in _python_files():
        limit = MAX_TEST_MODULE_LINES if "tests" in path.parts else MAX_MODULE_LINES
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            too_long[str(path.relative_to(ROOT))] = lines

    assert too_long == {}, "split these modules into packages"


def test_no_generic_dumping_ground_modules():
    generic = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if path.stem in {"utils", "helpers", "misc"}
    ]

    assert generic == []


def _queue_names_used_in_code() -> set[str]:
    names = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "queue_name"
                and isinstance(node.value, ast.Constant)
            ):
                names.add(str(node.value.value))
    return names


def test_every_queue_used_by_a_task_is_served_by_the_workers():
    served = set(settings.TASKS["default"]["QUEUES"]) & set(settings.RQ_QUEUES)

    assert _queue_names_used_in_code() - served == set()


def test_no_code_mentions_todo_without_an_issue():
    orphan = []
    for path in _python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "TODO" in line and "TODO(#" not in line and path.name != "test_architecture.py":
                orphan.append(f"{path.relative_to(ROOT)}:{number}")

    assert orphan == []


def test_no_form_names_rows_by_their_integer_key():
    """Django's ModelChoiceField writes primary keys into pages; core.forms writes public ids."""
    integer_keyed = {"ModelChoiceField", "ModelMultipleChoiceField"}
    found = []
    for path in _python_files():
        if "tests" in path.parts or path == ROOT / "cityhall" / "core" / "forms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
            if isinstance(node, ast.Attribute | ast.Name) and name in integer_keyed:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert found == [], "use cityhall.core.forms.PublicIdChoiceField"
