"""The request path of the app (#9): no Python callbacks inside Polars queries, and thread
pools sized before Polars is imported. Before #9 request threads deadlocked inside
``map_elements`` (its Python function runs on Polars' pool and needs the GIL) while another
thread held the GIL in ``to_pandas`` waiting for the same pool; tests/test_load.py shows the
app under load, this test names the line that would bring the callback back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLBACKS = {"map_elements", "map_rows", "map_batches", "map_groups"}


def _request_path_files() -> list[Path]:
    return [
        ROOT / "app.py",
        *sorted((ROOT / "analytics").rglob("*.py")),
        *sorted((ROOT / "app_pages").glob("*.py")),
    ]


def test_no_python_callbacks_in_polars_queries_of_the_app():
    found = []
    for path in _request_path_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in CALLBACKS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert found == [], "Python callbacks in Polars queries (use expressions or a lookup): " + ", ".join(
        found
    )


def test_app_sizes_the_polars_pool_before_anything_imports_polars():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    setting = imports = None
    for i, node in enumerate(tree.body):
        if (
            setting is None
            and "POLARS_MAX_THREADS" in ast.unparse(node)
            and "setdefault" in ast.unparse(node)
        ):
            setting = i
        is_import = isinstance(node, ast.Import | ast.ImportFrom)
        if (
            is_import
            and imports is None
            and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
        ):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(n.split(".")[0] not in {"os"} for n in names):
                imports = i
    assert setting is not None, "app.py must set POLARS_MAX_THREADS (os.environ.setdefault)"
    assert imports is not None and setting < imports, "POLARS_MAX_THREADS is set after an import"


def test_request_path_queries_the_shared_connection_only_through_its_own_cursor():
    """Sessions share one read connection; a direct ``con.execute`` from two threads raises
    "connection is busy with another call" (seen in tests/test_load.py on Datenqualität).
    Everything goes through analytics.db.query/scalar, which open a cursor per call."""
    found = []
    for path in _request_path_files():
        if path.name == "db.py" and path.parent.name == "analytics":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"execute", "sql", "executemany"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"con", "connection", "conn"}
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}")
    assert found == [], "shared connection used without a cursor: " + ", ".join(found)
