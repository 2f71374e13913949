"""Which address a login attempt comes from, for django-axes' lockout bookkeeping."""

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or what the local reverse proxy saw.

    Only a proxy on this machine (loopback REMOTE_ADDR, or none at all when gunicorn listens on
    a unix socket; i.e. the appliance's nginx) is trusted to report the client, and only its own
    entry, the right-most one of X-Forwarded-For; entries to the left come from the client and
    can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and (not remote or _is_loopback(remote)):
        candidate = forwarded.split(",")[-1].strip()
        if _is_ip(candidate):
            return candidate
    return remote


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_loopback(value: str) -> bool:
    return _is_ip(value) and ipaddress.ip_address(value).is_loopback
