"""The text a plaque's QR encodes, and the short form printed under it.

The payload is upper-case so the whole URL fits QR alphanumeric mode (5.5 bits a character
instead of 8): version 2-3 instead of 5-6 for a lower-case URL, so bigger modules at the same
printed size. Scheme and host are case-insensitive; the site publishes the literal `/Q/<CODE>/`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .codes import validate_code

QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _base(site_url: str, code: str) -> str:
    """Check the inputs and return the site URL without its trailing slash."""
    problem = validate_code(code)
    if problem:
        raise ValueError(problem)
    parts = urlsplit(site_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"site URL {site_url!r} must start with http:// or https:// and a host")
    if parts.query or parts.fragment:
        raise ValueError(f"site URL {site_url!r} must not have a query or fragment")
    return site_url.rstrip("/")


def plaque_url(site_url: str, code: str) -> str:
    """Return the QR payload, e.g. 'HTTPS://DISAN.EXAMPLE.VN/Q/7K/'."""
    url = f"{_base(site_url, code)}/Q/{code}/".upper()
    bad = sorted({char for char in url if char not in QR_ALPHANUMERIC})
    if bad:
        shown = " ".join(repr(char) for char in bad)
        raise ValueError(f"site URL {site_url!r} has characters outside the QR alphanumeric "
                         f"set once upper-cased: {shown}")
    return url


def short_url(site_url: str, code: str) -> str:
    """Return the human form printed under the code, e.g. 'disan.example.vn/q/7k'."""
    parts = urlsplit(plaque_url(site_url, code).lower())
    return f"{parts.netloc}{parts.path}".rstrip("/")
