"""The address of the person at the other end, behind the proxies we trust.

Behind the TLS proxy the README deploys, every request comes from the proxy's address. The real one
is in X-Forwarded-For, but anybody can write that header: it is read only when the request comes
from a proxy listed in the TRUSTED_PROXIES setting (addresses or networks), walking the header from
the right (the entries our proxies added) to the first address none of them vouches for.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the nearest address of
    X-Forwarded-For that is not one of them."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing further left can be believed
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
