"""Fast checks of the deployment files; the real proof is scripts/test_appliance (it installs)."""

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.nginx_site import NGINX_SITE, render

yaml = pytest.importorskip("yaml")


ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ANSIBLE_DIR = DEPLOY / "ansible"
BIN = Path(sys.executable).parent
UNITS = ["gunicorn.socket", "gunicorn.service", "celery.service", "celerybeat.service", "flower.service"]
SERVICES = [unit for unit in UNITS if unit.endswith(".service")]


def ansible_tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed (pip install -r requirements-dev.txt)")
    return str(path)


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_playbook_passes_syntax_check(tmp_path):
    inventory = tmp_path / "inventory"
    inventory.write_text("[web]\nlocalhost\n[workers]\nlocalhost\n")
    result = subprocess.run(
        [ansible_tool("ansible-playbook"), "-i", str(inventory), "site.yml", "--syntax-check"],
        cwd=ANSIBLE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ansible_lint_is_clean():
    result = subprocess.run(
        [ansible_tool("ansible-lint"), "--offline", "--nocolor"],
        cwd=ANSIBLE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_as_the_app_user_with_the_env_file_and_hardening(name):
    service = read_unit(name)["Service"]
    assert service["User"] == "{{ app_user }}"
    assert service["Group"] == "{{ app_group }}"
    assert service["EnvironmentFile"] == "{{ app_env_file }}"
    assert service["WorkingDirectory"] == "{{ app_code_dir }}"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "PrivateUsers": "yes",
        "ProtectProc": "invisible",
        "ProcSubset": "pid",
        "MemoryDenyWriteExecute": "yes",
        "UMask": "0027",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key
    # The unit names what it cannot take (scripts/test_appliance checks the exposure score itself).
    assert "Protections this unit cannot take" in (DEPLOY / "systemd" / name).read_text()
    assert "{{ app_log_dir }}" in service["ReadWritePaths"]
    assert "{{ app_var_dir }}" in service["ReadWritePaths"]


@pytest.mark.parametrize("name", ["celerybeat.service", "flower.service"])
def test_beat_and_flower_reach_only_the_database_and_redis(name):
    service = read_unit(name)["Service"]
    assert service["IPAddressDeny"] == "any"
    assert service["IPAddressAllow"].startswith("localhost ")


def test_celery_worker_unit_shuts_down_warm():
    service = read_unit("celery.service")["Service"]
    assert " -A app worker" in service["ExecStart"]
    # SIGTERM to the main process only: the pool children must finish their tasks.
    assert service["KillMode"] == "mixed"
    assert service["TimeoutStopSec"] == "{{ worker_celery_stop_timeout }}"


def test_flower_is_local_and_under_the_nginx_prefix():
    exec_start = read_unit("flower.service")["Service"]["ExecStart"]
    assert "--url_prefix=flower" in exec_start
    assert "--address=127.0.0.1" in exec_start
    nginx = (DEPLOY / "nginx" / "macmerkezi.conf").read_text()
    assert "location /flower/" in nginx
    assert "auth_basic_user_file" in nginx


def test_gunicorn_socket_and_nginx_use_the_same_path():
    assert read_unit("gunicorn.socket")["Socket"]["ListenStream"] == "{{ app_gunicorn_socket }}"
    assert "--bind unix:{{ app_gunicorn_socket }}" in read_unit("gunicorn.service")["Service"]["ExecStart"]
    assert "server unix:{{ app_gunicorn_socket }}" in (DEPLOY / "nginx" / "macmerkezi.conf").read_text()


def test_unit_files_exist_only_in_deploy_systemd():
    copies = [
        path
        for path in ROOT.rglob("*")
        if path.name in UNITS and ".venv" not in path.parts and path.parent != DEPLOY / "systemd"
    ]
    assert copies == []


def test_example_secrets_are_placeholders_the_play_refuses():
    example = yaml.safe_load((ANSIBLE_DIR / "group_vars" / "vault.example.yml").read_text())
    assert example and all(value == "change-me" or value.startswith("change-me") for value in example.values())
    defaults = {}
    for role in ("app", "nginx"):
        defaults |= yaml.safe_load((ANSIBLE_DIR / "roles" / role / "defaults" / "main.yml").read_text())
    for name, secret in {
        "app_secret_key": "vault_app_secret_key",
        "app_db_password": "vault_app_db_password",
        "app_superuser_password": "vault_app_superuser_password",
        "nginx_flower_password": "vault_flower_basic_auth_password",
    }.items():
        assert defaults[name] == "{{ " + secret + " }}"


def redis_config(text: str) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def redis_configs(tmp_path_factory) -> dict[str, dict[str, str]]:
    """redis.conf.j2 rendered with the role's defaults for each of its two servers."""
    ansible_tool("ansible-playbook")
    out = tmp_path_factory.mktemp("redis")
    configs = {}
    for server in ("broker", "cache"):
        dest = out / f"{server}.conf"
        render(
            ANSIBLE_DIR / "roles" / "redis" / "templates" / "redis.conf.j2",
            dest,
            {"server": f"{{{{ redis_servers.{server} }}}}"},
        )
        configs[server] = redis_config(dest.read_text())
    return configs


def test_the_broker_redis_never_evicts_and_keeps_its_messages_on_disk(redis_configs):
    broker = redis_configs["broker"]
    assert (broker["port"], broker["maxmemory-policy"], broker["appendonly"]) == ("6379", "noeviction", "yes")
    assert broker["appendfsync"] == "everysec"


def test_the_cache_redis_is_volatile_with_its_own_memory_limit(redis_configs):
    cache, broker = redis_configs["cache"], redis_configs["broker"]
    assert (cache["port"], cache["maxmemory-policy"], cache["appendonly"], cache["save"]) == (
        "6380",
        "allkeys-lru",
        "no",
        '""',
    )
    assert cache["maxmemory"] not in ("", "0")
    # Debian's redis-server@cache.service: its runtime directory and /etc/redis/redis-cache.conf.
    assert cache["pidfile"] == "/run/redis-cache/redis-server.pid"
    assert cache["logfile"] != broker["logfile"] and cache["dbfilename"] != broker["dbfilename"]
    defaults = yaml.safe_load((ANSIBLE_DIR / "roles" / "redis" / "defaults" / "main.yml").read_text())
    assert defaults["redis_cache_service_name"] == "redis-server@{{ redis_cache_instance }}"
    assert defaults["redis_cache_conf_path"] == "/etc/redis/redis-{{ redis_cache_instance }}.conf"


def test_the_app_uses_the_cache_redis_for_its_cache(tmp_path):
    dest = tmp_path / "env"
    secrets = {f"vault_{name}": "x" for name in ("app_secret_key", "app_db_password", "app_superuser_password")}
    render(ANSIBLE_DIR / "roles" / "app" / "templates" / "env.j2", dest, secrets | {"group_names": ["web", "workers"]})
    env = dict(line.split("=", 1) for line in dest.read_text().splitlines() if line and not line.startswith("#"))
    assert env["REDIS_URL"] == "'redis://127.0.0.1:6379/0'"
    assert env["CACHE_URL"] == "'redis://127.0.0.1:6380/0'"
    for name in SERVICES:
        assert "{{ app_cache_service }}.service" in read_unit(name)["Unit"]["After"], name


@pytest.mark.skipif(not shutil.which("logrotate"), reason="logrotate is not installed")
def test_logrotate_rules_cover_every_log_and_truncate_in_place():
    rules = (DEPLOY / "logrotate" / "macmerkezi").read_text()
    for directive in ("daily", "rotate 14", "compress", "delaycompress", "missingok", "notifempty", "copytruncate"):
        assert f"    {directive}\n" in rules
    assert "{{ app_log_dir }}/*.log" in rules


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"), reason="needs nginx and openssl")
def test_nginx_site_with_tls_passes_nginx_t(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (tmp_path / "htpasswd").write_text("ops:x\n")
    site = tmp_path / "site.conf"
    extra = {
        "nginx_tls_certificate": str(tmp_path / "cert.pem"),
        "nginx_tls_certificate_key": str(tmp_path / "key.pem"),
        "nginx_flower_htpasswd": str(tmp_path / "htpasswd"),
        "nginx_page_cache_path": str(tmp_path / "cache"),
        "app_server_names": ["maclar.example.org"],
    }
    render(NGINX_SITE, site, extra)
    text = site.read_text()
    assert "listen 443 ssl http2;" in text
    assert "return 301 https://$host$request_uri;" in text
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {site};\n}}\n"
    )
    checked = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
