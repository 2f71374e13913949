"""The appliance's nginx micro-cache, for real: the site rendered by the nginx role's template, in
front of the Django test server. Anonymous GETs of public pages are cached; a session or CSRF
cookie, the admin, the staff pages and the API never are."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from django.http.cookie import parse_cookie

from devtools.nginx_site import NGINX_SITE, render

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx_site(tmp_path, live_server):
    port = free_port()
    site = tmp_path / "site.conf"
    extra = {
        "app_server_names": ["127.0.0.1"],
        "nginx_port": port,
        "nginx_listen_ipv6": False,
        "nginx_flower_htpasswd": str(tmp_path / "htpasswd"),
        "nginx_page_cache_path": str(tmp_path / "cache"),
    }
    render(NGINX_SITE, site, extra)
    text = site.read_text().replace("/var/log/nginx/", f"{tmp_path}/")
    upstream = live_server.url.removeprefix("http://")
    text = text.replace("server unix:/run/macmerkezi/gunicorn.sock", f"server {upstream}")
    site.write_text(text)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  client_body_temp_path {tmp_path}/body;\n  include {site};\n}}\n"
    )
    process = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def cache_status(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers.get("X-Cache-Status", "none")
    except urllib.error.HTTPError as error:
        return error.headers.get("X-Cache-Status", "none")


@pytest.mark.django_db(transaction=True)
def test_anonymous_public_pages_are_micro_cached_and_private_requests_never(nginx_site):
    home, results = f"{nginx_site}/", f"{nginx_site}/maclar/"

    assert [cache_status(home), cache_status(home)] == ["MISS", "HIT"]
    assert [cache_status(results), cache_status(results)] == ["MISS", "HIT"]
    assert cache_status(home, "sessionid=abc") == "BYPASS"
    assert cache_status(home, "csrftoken=abc; django_language=tr") == "BYPASS"
    # Every spelling Django reads as a session cookie (its parser strips the name) bypasses too.
    for spelling in ("sessionid =abc", "a=b;sessionid\t= abc", "x=1;  messages  =m", " csrftoken = t"):
        assert parse_cookie(spelling).keys() & {"sessionid", "csrftoken", "messages"}, spelling
        assert cache_status(home, spelling) == "BYPASS", spelling
    # The language is part of the key: an English visitor gets their own copy.
    assert cache_status(home, "django_language=en") == "MISS"
    for private in ("/admin/login/", "/ice-aktar/", "/veri-cek/", "/api/fetch-runs/1/", "/hesap/giris/"):
        assert cache_status(nginx_site + private) == "none", private  # not even looked up
