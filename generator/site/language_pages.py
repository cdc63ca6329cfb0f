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

CHOICE_KEY = "heritage.lang"  # written by the language switcher (renderer/theme/main.html)

# The reader's language among the keys of h: saved choice, then every browser language (exact
# tag, then primary subtag), then u, then d. Only the table's own keys count ("constructor" or
# "__proto__" from a stored choice must not reach Object.prototype).
_PICK = (
    "function(h,d,u){var c=null,o=Object.prototype.hasOwnProperty;"
    "try{c=localStorage.getItem(%s)}catch(e){}"
    "var p=[c].concat(navigator.languages||[navigator.language]);"
    "for(var i=0;i<p.length;i++){var t=(p[i]||'').toLowerCase();"
    "if(o.call(h,t))return t;t=t.split('-')[0];if(o.call(h,t))return t}"
    "return o.call(h,u)?u:d}" % json.dumps(CHOICE_KEY)
)
_SCRIPT = "(function(){var h=%s;location.replace(h[(" + _PICK + ")(h,%s,%s)])})()"
# The not-found page shows the reader's language only and, at a plaque address (/Q/<code>/),
# says the code is unknown (the code is put in as text, never as markup).
_NOT_FOUND_SCRIPT = (
    "(function(){var h=%s,l=(" + _PICK + ")(h,%s,%s),"
    "m=location.pathname.match(/\\/q\\/([^\\/]+)\\/?$/i),code='';"
    "if(m)try{code=decodeURIComponent(m[1]).toUpperCase()}catch(e){code=m[1]}"
    "document.documentElement.lang=l;"
    "[].forEach.call(document.querySelectorAll('section[lang]'),function(s){"
    "s.hidden=s.lang!==l;if(!m)return;s.querySelector('.heritage-page').hidden=true;"
    "var c=s.querySelector('.heritage-code');c.hidden=false;"
    "c.querySelector('b').textContent=code})})()"
)


@dataclass(frozen=True)
class NotFound:
    """One language's text of the not-found page."""

    lang: str
    title: str
    page_text: str  # for any missing page
    code_text: tuple[str, str]  # before and after the code, for a plaque address
    links: tuple[tuple[str, str], ...]  # (absolute path, label)


def not_found_html(sections: Sequence[NotFound], default: str, unmatched: str) -> str:
    """The site's 404 page: small and self-contained (a host serves it at any address), every
    language in it, the reader's shown (all of them without JavaScript)."""
    esc = html.escape
    langs = json.dumps({s.lang: 1 for s in sections}, separators=(",", ":"))
    script = _NOT_FOUND_SCRIPT % (langs, json.dumps(default), json.dumps(unmatched))
    parts = []
    for s in sections:
        links = " · ".join(f'<a href="{esc(href)}">{esc(label)}</a>' for href, label in s.links)
        parts.append(
            f'<section lang="{esc(s.lang)}"><h1>{esc(s.title)}</h1>'
            f'<p class="heritage-page">{esc(s.page_text)}</p>'
            f'<p class="heritage-code" hidden>{esc(s.code_text[0])}<b></b>'
            f"{esc(s.code_text[1])}</p><p>{links}</p></section>")
    return (f'<!doctype html><html lang="{esc(default)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{esc(sections[0].title)}</title>'
            '</head><body style="font-family:sans-serif;max-width:40em;margin:auto;'
            f'padding:1em">{"".join(parts)}<script>{script}</script></body></html>\n')


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
    script = _SCRIPT % (targets, json.dumps(default), json.dumps(unmatched or default))
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
