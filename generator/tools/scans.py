"""scans: how many people scanned each plaque, read from the web server's own access logs.

Nothing is added to the pages and no third party is asked. A scan is a request for a code's
printed address (`/Q/<CODE>/`, or its lowercase alias `/q/<code>/`) in an ordinary access log
(nginx's or Apache's combined format, plain or gzip). Robots and link previews are left out,
and the same phone (address and browser) asking for the same code again within 30 minutes
counts once: a redirect to the trailing slash, a reload, a second look. The language is the
one in which that phone then opened the site's page.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import gzip
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

LINE = re.compile(r'(?P<client>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) '
                  r'(?P<path>\S+)[^"]*" (?P<status>\d{3}) \S+(?: "[^"]*" "(?P<agent>[^"]*)")?')
# Crawlers, link previews of chat apps (the in-app browsers of Zalo and the like are people)
# and tools. A scan comes from a phone's browser.
ROBOTS = re.compile(r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|whatsapp/|preview|"
                    r"curl/|wget/|python-|python/|go-http-client|headlesschrome|monitor", re.I)
MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
REPEAT = datetime.timedelta(minutes=30)
CHOSE = datetime.timedelta(minutes=10)  # from the scan to the site's page in a language


@dataclass(frozen=True)
class Scan:
    code: str
    month: str  # YYYY-MM
    lang: str | None  # None: the phone opened no language's page of the site


def read_scans(logs: Iterable[Path], codes: dict[str, str], prefix: str,
               languages: Sequence[str]) -> list[Scan]:
    """The scans of the codes (code → site id) in these logs, oldest first; `prefix` is the
    site's path on its server (`/`, or `/disan/` for a site under a folder)."""
    plaque = re.compile(re.escape(prefix) + r"[Qq]/([A-Za-z0-9]+)/?$")
    page = re.compile(re.escape(prefix) + r"(" + "|".join(map(re.escape, languages)) +
                      r")/sites/([a-z0-9-]+)/(?:index\.html)?$")
    hits: list[tuple[datetime.datetime, str, str]] = []
    visits: dict[tuple[str, str], list[tuple[datetime.datetime, str]]] = defaultdict(list)
    upper = {code.upper(): code for code in codes}
    for line in _lines(logs):
        match = LINE.match(line)
        if not match or match["method"] != "GET" or int(match["status"]) >= 400:
            continue
        agent = match["agent"] or ""
        if ROBOTS.search(agent):
            continue
        when = _time(match["time"])
        if when is None:
            continue
        client = f"{match['client']} {agent}"
        path = match["path"].split("?", 1)[0]
        if found := plaque.match(path):
            code = upper.get(found[1].upper())
            if code is not None:
                hits.append((when, client, code))
        elif found := page.match(path):
            visits[client, found[2]].append((when, found[1]))
    for seen in visits.values():
        seen.sort()
    scans = []
    last: dict[tuple[str, str], datetime.datetime] = {}
    for when, client, code in sorted(hits):
        before = last.get((client, code))
        if before is not None and when - before < REPEAT:
            continue
        last[client, code] = when
        scans.append(Scan(code, f"{when.year:04d}-{when.month:02d}",
                          _chosen(visits.get((client, codes[code]), []), when)))
    return scans


def _chosen(visits: list[tuple[datetime.datetime, str]], when: datetime.datetime) -> str | None:
    index = bisect.bisect_left(visits, (when, ""))
    if index < len(visits) and visits[index][0] - when <= CHOSE:
        return visits[index][1]
    return None


def _lines(logs: Iterable[Path]) -> Iterable[str]:
    for log in logs:
        with open(log, "rb") as head:
            zipped = head.read(2) == b"\x1f\x8b"
        with (gzip.open if zipped else open)(log, "rt", encoding="utf-8",
                                             errors="replace") as stream:
            yield from stream


def _time(text: str) -> datetime.datetime | None:
    """`02/Dec/2026:10:04:31 +0700` as a moment (month names are English in every log)."""
    try:
        day, month, rest = text.split("/", 2)
        year, clock = rest.split(":", 1)
        hours, minutes, seconds_zone = clock.split(":", 2)
        seconds, zone = seconds_zone.split(" ")
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        return datetime.datetime(
            int(year), MONTHS[month], int(day), int(hours), int(minutes), int(seconds),
            tzinfo=datetime.timezone(-offset if zone[0] == "-" else offset))
    except (ValueError, KeyError, IndexError):
        return None


@dataclass(frozen=True)
class Row:
    code: str
    site: str
    month: str
    scans: int
    languages: dict[str, int]  # language (or "" for none chosen) → scans


def tally(scans: Sequence[Scan], codes: dict[str, str]) -> list[Row]:
    """Scans per code and month, by code then month."""
    counted: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for scan in scans:
        counted[scan.code, scan.month][scan.lang or ""] += 1
    return [Row(code, codes[code], month, sum(by_lang.values()), dict(sorted(by_lang.items())))
            for (code, month), by_lang in sorted(counted.items())]


def rows_text(rows: Sequence[Row], header: Sequence[str], none: str) -> str:
    """A table for the terminal: `header` names the five columns; `none` stands for no
    language chosen."""
    table = [list(header)] + [
        [row.code, row.site, row.month, str(row.scans),
         ", ".join(f"{lang or none} {count}" for lang, count in row.languages.items())]
        for row in rows]
    widths = [max(len(line[column]) for line in table) for column in range(4)]
    return "".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)) +
                   f"  {line[4]}\n" for line in table)


def rows_csv(rows: Sequence[Row], languages: Sequence[str]) -> str:
    """A table for a spreadsheet: code, site, month, scans, then one column per language
    and `none` (no language chosen); UTF-8 with a BOM, as spreadsheet programs expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["code", "site", "month", "scans", *languages, "none"])
    for row in rows:
        writer.writerow([row.code, row.site, row.month, row.scans,
                         *(row.languages.get(lang, 0) for lang in (*languages, ""))])
    return "\ufeff" + buffer.getvalue()


def rows_svg(rows: Sequence[Row], title: str) -> str:
    """A bar chart of the scans of each code, all months together."""
    totals: Counter[str] = Counter()
    sites = {}
    for row in rows:
        totals[row.code] += row.scans
        sites[row.code] = row.site
    bars = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    width, left, bar, gap = 640, 220, 18, 6
    most = max(totals.values(), default=1)
    height = 40 + len(bars) * (bar + gap)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<text x="8" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for index, (code, count) in enumerate(bars):
        y = 32 + index * (bar + gap)
        length = round((width - left - 60) * count / most)
        parts += [f'<text x="8" y="{y + 13}">{escape(code)} · {escape(sites[code])[:28]}</text>',
                  f'<rect x="{left}" y="{y}" width="{length}" height="{bar}" fill="#2e6f5e"/>',
                  f'<text x="{left + length + 6}" y="{y + 13}">{count}</text>']
    return "\n".join([*parts, "</svg>"]) + "\n"
