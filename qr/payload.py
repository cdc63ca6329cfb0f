"""The text a plaque's QR encodes, and the short form printed under it.

The payload is upper-case so the whole URL fits QR alphanumeric mode (5.5 bits a character
instead of 8): version 2-3 instead of 5-6 for a lower-case URL, so bigger modules at the same
printed size. Scheme and host are case-insensitive; the site publishes the literal `/Q/<CODE>/`.
A sub-path (`https://host/di-san/`) keeps its case, because web servers match paths
case-sensitively: that part is encoded in byte mode and the code grows (serve from a domain
root to avoid it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .codes import validate_code

QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _parts(site_url: str, code: str) -> tuple[str, str, str]:
    """Check the inputs; return (scheme, host, sub-path without trailing slash)."""
    problem = validate_code(code)
    if problem:
        raise ValueError(str(problem))
    if not site_url.isascii() or " " in site_url:
        raise ValueError(f"site URL {site_url!r} must be ASCII without spaces "
                         "(percent-encode other characters)")
    parts = urlsplit(site_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"site URL {site_url!r} must start with http:// or https:// and a host")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"site URL {site_url!r} must not have a user, query or fragment")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def plaque_url(site_url: str, code: str) -> str:
    """Return the QR payload, e.g. 'HTTPS://DISAN.EXAMPLE.VN/Q/7K/'."""
    scheme, host, path = _parts(site_url, code)
    return f"{scheme.upper()}://{host.upper()}{path}/Q/{code}/"


def is_alphanumeric(payload: str) -> bool:
    """Whether the whole payload fits QR alphanumeric mode (the short, robust case)."""
    return all(char in QR_ALPHANUMERIC for char in payload)


def short_url(site_url: str, code: str) -> str:
    """Return the human form printed under the code, e.g. 'disan.example.vn/q/7k'."""
    _, host, path = _parts(site_url, code)
    return f"{host.lower()}{path}/q/{code.lower()}"
