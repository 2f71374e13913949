from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from app.imports.services import samples


class Command(BaseCommand):
    help = "Writes example import workbooks from the shipped real data (small, 50,000 rows, with errors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="var/samples", help="directory to write into (default var/samples)")
        parser.add_argument("--rows", type=int, default=50_000, help="rows of the large workbook")
        parser.add_argument("--with-errors", action="store_true", help="also write a sample with deliberate errors")

    def handle(self, *args: Any, out: str, rows: int, with_errors: bool, **options: Any) -> None:
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        written = [
            (directory / "ornek_kucuk.xlsx", samples.write_small_sample),
            (directory / f"ornek_{rows}_satir.xlsx", lambda path: samples.write_large_sample(path, rows)),
        ]
        if with_errors:
            written.append((directory / "ornek_hatali.xlsx", samples.write_error_sample))
        for path, write in written:
            count = write(path)
            self.stdout.write(f"{path}: {count} satır, {path.stat().st_size // 1024} KB")
