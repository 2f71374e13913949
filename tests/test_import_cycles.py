"""No import cycles between the modules of app/, function-level imports included; tasks only through dispatch."""

from pathlib import Path

from devtools.import_cycles import cycles, import_graph, main, task_imports

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


def test_a_module_outside_tasks_and_dispatch_importing_tasks_is_reported(tmp_path, capsys):
    root = _package(tmp_path, {
        "__init__.py": "",
        "tasks.py": "from pkg.services import work\n",
        "dispatch.py": "def send():\n    from pkg import tasks\n    return tasks\n",
        "admin.py": "from pkg.tasks import work_task\n",
        "services/__init__.py": "",
        "services/work.py": "def run():\n    from pkg import tasks\n    return tasks\n",
    })  # fmt: skip

    graph = import_graph(root)

    assert cycles(graph) == [["pkg.services.work", "pkg.tasks"]]
    assert task_imports(graph) == [("pkg.admin", "pkg.tasks"), ("pkg.services.work", "pkg.tasks")]
    assert main([str(root)]) == 1
    assert "pkg.admin imports pkg.tasks" in capsys.readouterr().out


def test_app_imports_tasks_only_from_tasks_and_dispatch():
    assert task_imports(import_graph(APP)) == []
