"""heritage scans: plaque scans per code and month, and the language chosen, counted from an
ordinary access log (plain and gzip), without robots, link previews or repeat visits."""

from __future__ import annotations

import csv
import gzip
import io
import xml.etree.ElementTree as ET

from conftest import CONFIG, LEDGER, coded_site, write_files
from generator.cli import main

PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/131.0 Mobile"
ZALO = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "Mobile/15E148 Zalo iOS/512")
TWO_CODES = LEDGER + '  - code: "2B"\n    site: old-school\n    issued: "2026-11-28"\n' \
    "    status: active\n"


def line(client, when, path, status=200, agent=PHONE):
    return (f'{client} - - [{when} +0700] "GET {path} HTTP/1.1" {status} 512 '
            f'"-" "{agent}"\n')


def project(tmp_path):
    root = tmp_path / "project"
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(),
                       **coded_site("old-school", code="2B"), "sites/issued-codes.yml": TWO_CODES})
    return root


def test_scans_are_counted_per_code_month_and_language_chosen(tmp_path, capsys):
    root = project(tmp_path)
    log = tmp_path / "access.log"
    log.write_text("".join([
        line("203.0.113.5", "02/Dec/2026:09:00:00", "/Q/2A", 301),  # then the slash: one scan
        line("203.0.113.5", "02/Dec/2026:09:00:01", "/Q/2A/"),
        line("203.0.113.5", "02/Dec/2026:09:00:03", "/en/sites/water-tower/"),
        line("203.0.113.5", "02/Dec/2026:09:10:00", "/Q/2A/"),  # a second look: not again
        line("203.0.113.5", "02/Dec/2026:11:30:00", "/Q/2A/?utm=x"),  # later: a new scan
        line("203.0.113.5", "02/Dec/2026:11:30:02", "/vi/sites/water-tower/"),
        line("198.51.100.7", "03/Dec/2026:08:00:00", "/q/2a/"),  # the alias, no page opened
        line("198.51.100.9", "04/Dec/2026:08:00:00", "/Q/2A/", agent=ZALO),  # Zalo's browser
        line("66.249.66.1", "04/Dec/2026:08:00:00", "/Q/2A/",
             agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        line("31.13.1.1", "04/Dec/2026:08:00:00", "/Q/2A/",
             agent="facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
        line("198.51.100.7", "04/Dec/2026:09:00:00", "/Q/ZZ/", 404),  # no such code
        line("198.51.100.8", "05/Jan/2027:07:59:00", "/Q/2B/"),
        line("198.51.100.8", "05/Jan/2027:08:01:00", "/ru/sites/old-school/"),
        "a line no server writes\n",
    ]), "utf-8")
    older = tmp_path / "access.log.2.gz"
    older.write_bytes(gzip.compress(line("192.0.2.1", "20/Nov/2026:17:00:00", "/Q/2A/").encode()))
    table, chart = tmp_path / "scans.csv", tmp_path / "scans.svg"
    assert main(["--project", str(root), "scans", str(log), str(older), "--csv", str(table),
                 "--chart", str(chart), "--lang", "en"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[:4] == ["code", "site", "month", "scans"]
    assert printed[2].split()[:4] == ["2A", "water-tower", "2026-12", "4"]
    assert printed[2].endswith("none 2, en 1, vi 1")
    text = table.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["code"], r["month"], r["scans"], r["en"], r["vi"], r["ru"], r["none"])
            for r in rows] == [("2A", "2026-11", "1", "0", "0", "0", "1"),
                               ("2A", "2026-12", "4", "1", "1", "0", "2"),
                               ("2B", "2027-01", "1", "0", "0", "1", "0")]
    svg = ET.parse(chart).getroot()
    bars = [(int(rect.get("width"))) for rect in svg.iter("{http://www.w3.org/2000/svg}rect")]
    assert len(bars) == 2 and bars[0] > bars[1] > 0  # 2A's five scans, 2B's one


def test_a_site_under_a_folder_counts_only_its_own_addresses(tmp_path, capsys):
    root = project(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.replace("https://heritage.example.org/",
                                     "https://example.org/disan/"), "utf-8")
    log = tmp_path / "access.log"
    log.write_text(line("203.0.113.5", "02/Dec/2026:09:00:00", "/disan/Q/2A/") +
                   line("203.0.113.6", "02/Dec/2026:09:00:00", "/Q/2A/"), "utf-8")
    assert main(["--project", str(root), "scans", str(log), "--format", "json"]) == 0
    assert '"scans": 1' in capsys.readouterr().out
    assert main(["--project", str(root), "scans", str(tmp_path / "missing.log")]) == 2
