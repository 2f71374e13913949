"""No import cycles between the modules of app/, function-level imports included."""

from pathlib import Path

from devtools.import_cycles import cycles, import_graph

APP = Path(__file__).resolve().parent.parent / "app"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "pkg"


def test_a_cycle_hidden_in_a_function_level_import_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "services/__init__.py": "",
        "services/runs.py": "def start():\n    from pkg import tasks\n    return tasks\n",
        "tasks.py": "from pkg.services.runs import start\n",
        "models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import tasks\n",
        "views.py": "from .services import runs\nfrom . import models\n",
    })  # fmt: skip

    graph = import_graph(root)

    assert graph["pkg.views"] == {"pkg.services.runs", "pkg.models"}
    assert graph["pkg.models"] == set()  # TYPE_CHECKING imports never run
    assert cycles(graph) == [["pkg.services.runs", "pkg.tasks"]]


def test_app_has_no_import_cycles():
    found = cycles(import_graph(APP))
    assert found == [], "\n".join(" ↔ ".join(component) for component in found)
