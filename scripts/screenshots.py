"""The screenshot gallery (run through scripts/screenshots, which prepares the database first).

Starts the development server on --port, signs in an editor and an operator (users made here,
with unusable passwords: they exist for the screenshots only), and saves a PNG per page,
language and screen into --out, with an index.html to look through them in a minute.
"""

from __future__ import annotations

import argparse
import html
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from playwright.sync_api import ViewportSize

    from app.imports.models import ImportFile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

CHROMIUM = "/usr/bin/chromium"
SCREENS: dict[str, ViewportSize] = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ("tr", "en")


# What the pages need from the database: object paths, and a session cookie per signed-in role.
PageData = TypedDict(
    "PageData",
    {"season": str, "team": str, "match": str, "run": str, "import": str, "task": str, "sessions": dict[str, str]},
)


@dataclass(frozen=True)
class Shot:
    name: str
    role: str  # fan, editor, operator
    path: str


def prepare() -> PageData:
    """Users for the editor and operator views, a finished demo fetch run, a checked upload, and the page paths."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db.models import Q
    from django_celery_results.models import TaskResult

    from app.accounts.groups import EDITOR, OPERATOR, ensure_groups
    from app.fetching.models import FetchFailure, FetchItem, FetchRun
    from app.fetching.services import runs
    from app.football.models import Match, Team
    from app.imports.models import ImportFile
    from app.web import selectors

    ensure_groups()
    users = {}
    for username, group in (("ekran-editor", EDITOR), ("ekran-operator", OPERATOR)):
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    run = FetchRun.objects.order_by("-id").first()
    if run is None:
        # A finished run with one failure, so that the run page has something to show.
        run = runs.create_run(provider_ids=range(900001, 900011), started_by_id=users["ekran-operator"].id)
        FetchItem.objects.filter(run=run).exclude(provider_id=900007).update(state=FetchItem.State.DONE)
        FetchItem.objects.filter(run=run, provider_id=900007).update(state=FetchItem.State.FAILED, attempts=3)
        FetchFailure.objects.create(run=run, provider_id=900007, reason="not_found", detail="HTTP 404",
                                    http_status=404, attempts=3)  # fmt: skip
        runs.refresh_run(run.id)
        FetchRun.objects.filter(pk=run.id).update(status=FetchRun.Status.FINISHED)
    import_file = ImportFile.objects.order_by("-id").first() or sample_upload(users["ekran-editor"].id)
    season = selectors.latest_season()
    turkey = Team.objects.filter(Q(name="Turkey") | Q(name="Türkiye"), is_national=True).first()
    team = turkey or Team.objects.order_by("name").first()
    match = Match.objects.filter(season=season, home_score__isnull=False).order_by("-date").first() if season else None
    return {
        "season": season.name if season else "",
        "team": team.slug if team else "",
        "match": match.external_id if match else "",
        "run": str(run.id),
        "import": str(import_file.id),
        "task": TaskResult.objects.order_by("-date_done").values_list("task_id", flat=True).first() or "",
        "sessions": {role: session_cookie(user) for role, user in (("editor", users["ekran-editor"]),
                                                                     ("operator", users["ekran-operator"]))},
    }  # fmt: skip


def sample_upload(user_id: int) -> ImportFile:
    """The shipped small sample (the real 2023-24 Süper Lig season), checked and waiting for its confirm."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from app.imports.services.importing import store_upload
    from app.imports.services.samples import write_small_sample

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "ornek_kucuk.xlsx"
        write_small_sample(path)
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
    return store_upload(uploaded=uploaded, user_id=user_id)


def session_cookie(user: User) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def shots(data: PageData) -> list[Shot]:
    found = [
        Shot("home", "fan", "/"),
        Shot("league-table", "fan", "/lig/"),
        Shot("league-table-2009-10", "fan", "/lig/super-lig/2009-10/"),
        Shot("results", "fan", "/maclar/"),
        Shot("results-filtered", "fan", "/maclar/?takim=" + data["team"]),
        Shot("results-invalid-filter", "fan", "/maclar/?sezon=1800-01"),
        Shot("team", "fan", "/takim/" + data["team"] + "/"),
        Shot("match", "fan", "/mac/" + data["match"] + "/"),
        Shot("not-found", "fan", "/bu-sayfa-yok/"),
        Shot("admin-index", "editor", "/admin/"),
        Shot("admin-matches", "editor", "/admin/football/match/"),
        Shot("admin-imports", "editor", "/admin/imports/importfile/"),  # the admin's list, linking to the pages
        Shot("import-page", "editor", "/ice-aktar/"),
        Shot("import-detail", "editor", "/ice-aktar/" + data["import"] + "/"),
        Shot("import-export", "editor", "/ice-aktar/disa-aktar/"),
        Shot("fetch-start", "operator", "/veri-cek/"),
        Shot("fetch-run", "operator", "/veri-cek/" + data["run"] + "/"),
        Shot("admin-fetch-runs", "operator", "/admin/fetching/fetchrun/"),
        Shot("admin-task-results", "operator", "/admin/django_celery_results/taskresult/"),
        Shot("admin-task-result", "operator", "/admin/django_celery_results/taskresult/gorev/" + data["task"] + "/"),
        Shot("admin-forbidden", "editor", "/admin/fetching/fetchrun/add/"),
    ]
    return [shot for shot in found if not shot.path.endswith("//")]  # a page whose object does not exist


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"the development server did not start on port {port}")


def render(port: int, out: Path, data: PageData) -> list[tuple[Shot, str, str, Path]]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for language in LANGUAGES:
            for screen, viewport in SCREENS.items():
                for role in ("fan", "editor", "operator"):
                    context = browser.new_context(locale="tr-TR" if language == "tr" else "en-GB", viewport=viewport)
                    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                    if role != "fan":
                        context.add_cookies([{"name": "sessionid", "value": data["sessions"][role], "url": base}])
                    page = context.new_page()
                    for shot in (s for s in shots(data) if s.role == role):
                        page.goto(base + shot.path, wait_until="networkidle")
                        target = out / f"{role}-{shot.name}-{language}-{screen}.png"
                        page.screenshot(path=str(target), full_page=True)
                        saved.append((shot, language, screen, target))
                    context.close()
        browser.close()
    return saved


def write_index(out: Path, saved: list[tuple[Shot, str, str, Path]]) -> Path:
    rows = []
    for shot in dict.fromkeys(s for s, _, _, _ in saved):
        cells = "".join(
            f'<td><a href="{p.name}"><img src="{p.name}" loading="lazy" alt="{html.escape(shot.name)} {lang} {scr}">'
            f"</a><br>{lang} · {scr}</td>"
            for s, lang, scr, p in saved
            if s == shot
        )
        rows.append(f"<tr><th>{html.escape(shot.role)}<br>{html.escape(shot.name)}<br>"
                    f"<code>{html.escape(shot.path)}</code></th>{cells}</tr>")  # fmt: skip
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html><meta charset=utf-8><title>Maç Merkezi screenshots</title>"
        "<style>body{font-family:sans-serif}td,th{vertical-align:top;padding:4px;font-size:12px}"
        "img{width:220px;border:1px solid #ccc}</style><table>" + "".join(rows) + "</table>",
        encoding="utf-8",
    )
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = prepare()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(args.port)
        saved = render(args.port, args.out, data)
    finally:
        server.terminate()
        server.wait(timeout=30)
    index = write_index(args.out, saved)
    print(f"{len(saved)} screenshots in {args.out}; open {index}")


if __name__ == "__main__":
    main()
