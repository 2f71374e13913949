from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from devtools.simulator import SYNTHETIC_BASE, SYNTHETIC_COUNT, ChaosConfig, load_catalogue, make_server


class Command(BaseCommand):
    help = "Runs the simulated football-data.org v4 server (real shipped matches, quotas, errors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8200)
        parser.add_argument("--quota", type=int, default=1200, help="requests per (scaled) minute; 0 = no limit")
        parser.add_argument("--error-rate", type=float, default=0.0, help="share of 500/502/503 answers")
        parser.add_argument("--rate-429", type=float, default=0.0, help="share of random 429 answers")
        parser.add_argument("--timeout-rate", type=float, default=0.0, help="share of requests that hang")
        parser.add_argument("--hang-seconds", type=float, default=15.0, help="how long a hanging request hangs")
        parser.add_argument("--unknown-rate", type=float, default=0.0, help="share of real ids answered 404")
        parser.add_argument("--slow-ms", type=int, default=0, help="latency added to every answer")
        parser.add_argument("--speed-factor", type=float, default=1.0, help="a quota minute lasts 60/N seconds")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--token", default="", help="require this X-Auth-Token")

    def handle(self, *args: Any, **options: Any) -> None:
        config = ChaosConfig(
            quota=options["quota"],
            error_rate=options["error_rate"],
            rate_429=options["rate_429"],
            timeout_rate=options["timeout_rate"],
            hang_seconds=options["hang_seconds"],
            unknown_rate=options["unknown_rate"],
            slow_ms=options["slow_ms"],
            speed_factor=options["speed_factor"],
            seed=options["seed"],
            token=options["token"],
        )
        catalogue = load_catalogue()
        server = make_server(config, host=options["host"], port=options["port"])
        self.stdout.write(
            f"Simulated provider on {server.url} ({len(catalogue.matches)} shipped matches and "
            f"{SYNTHETIC_COUNT:,} synthetic ones from id {SYNTHETIC_BASE + 1}; stats at /_stats); {config}",
        )
        self.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
