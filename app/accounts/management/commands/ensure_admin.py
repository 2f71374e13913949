import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create the superuser if it does not exist (idempotent); prints a generated password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        # The environment, like createsuperuser's, keeps the password off the command line (ps).
        parser.add_argument(
            "--password",
            default=os.environ.get("DJANGO_SUPERUSER_PASSWORD", ""),
            help="Default: $DJANGO_SUPERUSER_PASSWORD. Empty: generate one and print it.",
        )

    def handle(self, *args: Any, username: str, email: str, password: str, **options: Any) -> None:
        users = get_user_model().objects
        if users.filter(username=username).exists():
            self.stdout.write(f"Admin '{username}' already exists; password unchanged.")
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        users.create_superuser(username=username, email=email, password=password)
        shown = f" password: {password}" if generated else ""
        self.stdout.write(self.style.SUCCESS(f"Created admin '{username}'.{shown}"))
