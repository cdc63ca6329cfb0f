"""The language-routing page: the site root now, the QR plaque pages later.

A tiny standalone page (no theme, no CSS or JS files) that sends the reader on to one
language: the one they chose earlier on this site, else the first of the browser's languages
that the site has (exact tag, then primary subtag), else the site's international language
(a French or German phone gets English, not the local language), else the default. `location.replace` keeps
Back from looping; without JavaScript a refresh goes to the default, and the visible list of
languages works everywhere.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

CHOICE_KEY = "heritage.lang"  # written by the language switcher (theme/main.html)

# Only the table's own keys count ("constructor" or "__proto__" from a stored choice or a
# browser must not reach Object.prototype).
_SCRIPT = (
    "(function(){var h=%s,c=null,d=%s,u=%s,o=Object.prototype.hasOwnProperty;"
    "try{c=localStorage.getItem(%s)}catch(e){}"
    "var p=[c].concat(navigator.languages||[navigator.language]);"
    "for(var i=0;i<p.length;i++){var t=(p[i]||'').toLowerCase();"
    "if(o.call(h,t))return location.replace(h[t]);t=t.split('-')[0];"
    "if(o.call(h,t))return location.replace(h[t])}location.replace(o.call(h,u)?h[u]:h[d])})()"
)


@dataclass(frozen=True)
class Choice:
    lang: str
    name: str  # the language's own name
    href: str  # relative to the routing page
    url: str  # absolute, for hreflang


def router_html(title: str, choices: Sequence[Choice], default: str, *,
                self_url: str, noindex: bool, unmatched: str | None = None) -> str:
    """The routing page; `choices[0]` need not be the default. `unmatched` is the language
    for a browser that asks for none of the choices (default: `default`)."""
    esc = html.escape
    targets = json.dumps({c.lang: c.href for c in choices}, separators=(",", ":"))
    script = _SCRIPT % (targets, json.dumps(default), json.dumps(unmatched or default),
                        json.dumps(CHOICE_KEY))
    fallback = next(c for c in choices if c.lang == default)
    head = [
        '<!doctype html><html lang="%s"><head><meta charset="utf-8">' % esc(default),
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{esc(title)}</title>",
        '<meta name="robots" content="noindex">' if noindex else "",
        *(f'<link rel="alternate" hreflang="{esc(c.lang)}" href="{esc(c.url)}">'
          for c in choices),
        f'<link rel="alternate" hreflang="x-default" href="{esc(self_url)}">',
        f'<noscript><meta http-equiv="refresh" content="0;url={esc(fallback.href)}">'
        "</noscript>",
        f"<script>{script}</script></head>",
    ]
    items = "".join(f'<li><a href="{esc(c.href)}" hreflang="{esc(c.lang)}" '
                    f'lang="{esc(c.lang)}">{esc(c.name)}</a></li>' for c in choices)
    body = f'<body style="font-family:sans-serif"><h1>{esc(title)}</h1><ul>{items}</ul></body>'
    return "".join(head) + body + "</html>\n"
