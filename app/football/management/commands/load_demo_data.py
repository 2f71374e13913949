from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from app.football.services.demo_data import load_demo_data


class Command(BaseCommand):
    help = "Load the shipped Süper Lig and international results (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="Only the first N rows of each file.")

    def handle(self, *args: Any, limit: int | None = None, **options: Any) -> None:
        report = load_demo_data(log=self.stdout.write, limit=limit)
        created = report.super_lig.created + report.international.created + report.goals_created
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created} new rows."))
