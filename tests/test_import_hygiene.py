"""Layer rules, checked rather than remembered."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def project_files() -> list[Path]:
    return [p for p in REPO.rglob("*.py")
            if not any(part in {".venv", "tests", "bench"} for part in p.relative_to(REPO).parts)]


def test_analytics_never_imports_streamlit():
    offenders = [p.name for p in (REPO / "analytics").rglob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_only_the_store_imports_duckdb():
    users = sorted(str(p.relative_to(REPO)) for p in project_files() if "duckdb" in imported_modules(p))
    assert users == ["analytics/store.py"]


def test_pages_do_not_touch_the_database_directly():
    for page in (REPO / "pages").glob("*.py"):
        assert "duckdb" not in imported_modules(page), page.name
