"""QR codes that last: the append-only ledger `sites/issued-codes.yml` and its rules.

A printed plaque lives for decades, so an issued code is never deleted, rewritten or moved to
another site. The ledger in the working tree is checked against itself, against the sites, and
against every version of it committed to git, so an edit that rewrites history is caught too.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

import qr
from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.model import HeritageSite, LedgerEntry, SourceRef
from generator.core.repo import git
from generator.load.schema import Field, validate
from generator.load.sourcefile import parse_yaml, read_text

LEDGER = PurePosixPath("sites", "issued-codes.yml")
STATUSES = ("active", "retired")
ENTRY_FIELDS: dict[str, Field] = {
    "code": Field("text", "The code, as printed.", required=True, example='"7K"'),
    "site": Field("text", "The site id it was issued to.", required=True,
                  example="phan-thiet-water-tower"),
    "issued": Field("date", "When it was issued.", required=True, example='"2026-11-27"'),
    "status": Field("choice", "active, or retired (the plaque page then explains and links "
                    "onwards).", required=True, example="active", choices=STATUSES),
}
LEDGER_FIELDS = {"codes": Field("list", "Every code ever issued.", fields=ENTRY_FIELDS)}
LEDGER_HEADER = (
    "# Every QR code ever issued, one entry per code. Append-only: never delete or edit an\n"
    "# entry, never give a code to another site. To take a plaque out of use, set its status\n"
    "# to retired: its page then explains and links onwards. Written by `heritage codes assign`.\n"
    "codes:\n")
MAX_ALPHANUMERIC_VERSION = 3  # bigger codes need bigger plaques (research/qr-print.md §2)
PLACEHOLDER_HOSTS = re.compile(
    r"(^|\.)(example|test|invalid|localhost|local)(\.|$)|^(localhost|127\.\d+\.\d+\.\d+|"
    r"0\.0\.0\.0|\[::1\])$")


def load_ledger(root: Path, report: Diagnostics) -> tuple[LedgerEntry, ...]:
    """The ledger's entries; none when the project has not issued codes yet."""
    if not (root / LEDGER).is_file():
        return ()
    text = read_text(root / LEDGER, LEDGER, report)
    node = parse_yaml(text, LEDGER, report) if text is not None else None
    if node is None:
        return ()
    checked = validate(node, LEDGER_FIELDS, LEDGER, report, languages=())
    entries = []
    for index, values in enumerate(checked.values.get("codes", [])):
        if len(values) == len(ENTRY_FIELDS):
            where = checked.refs[f"codes[{index + 1}].code"]
            entries.append(LedgerEntry(values["code"], values["site"], values["issued"],
                                       values["status"], where))
    return tuple(entries)


def check_codes(ledger: Sequence[LedgerEntry], sites: Sequence[HeritageSite],
                report: Diagnostics, unreadable: frozenset[str] = frozenset()) -> None:
    """The ledger and the sites' `code:` fields must agree, entry by entry. A code issued to
    a site whose folder exists but could not be read is left alone: that site's own error
    says what is wrong, and a hint to retire its code would lose a printed plaque."""
    by_code: dict[str, LedgerEntry] = {}
    for entry in ledger:
        _check_code_text(entry.code, entry.source, report)
        key = entry.code.upper()
        if key in by_code:
            report.error("code-ledger", entry.source, "code-ledger.twice",
                         hint="hint.issue-new-code", code=entry.code,
                         first=by_code[key].source.line)
        else:
            by_code[key] = entry
    carriers: dict[str, HeritageSite] = {}
    for site in sites:
        _check_site_code(site, by_code, carriers, report)
    site_ids = {site.id for site in sites}
    for entry in by_code.values():
        if entry.site not in unreadable:
            _check_entry_honoured(entry, carriers, site_ids, report)


def _check_code_text(code: str, where: SourceRef, report: Diagnostics) -> None:
    problem = qr.validate_code(code)
    if problem:
        report.error("bad-code", where, f"bad-code.{problem.kind}", hint="hint.code-alphabet",
                     code=code, char=problem.char, upper=code.upper(), length=len(code),
                     limit=qr.MAX_CODE_LENGTH, alphabet=qr.ALPHABET)


def _check_site_code(site: HeritageSite, by_code: dict[str, LedgerEntry],
                     carriers: dict[str, HeritageSite], report: Diagnostics) -> None:
    """A site's code must be in the ledger, issued to it, active, and carried by no other."""
    where = site.source
    if site.code is None:
        report.warning("no-code", where, hint="hint.assign")
        return
    _check_code_text(site.code, where, report)
    key = site.code.upper()
    entry = by_code.get(key)
    if entry is not None and entry.site != site.id:
        report.error("code-ledger", where, "code-ledger.moved", hint="hint.own-code",
                     code=site.code, site=entry.site, entry=str(entry.source))
    elif key in carriers:
        report.error("code-ledger", where, "code-ledger.shared", hint="hint.one-site",
                     code=site.code, site=carriers[key].id)
    elif entry is None:
        carriers[key] = site
        report.error("code-ledger", where, "code-ledger.unrecorded", hint="hint.reassign",
                     code=site.code, ledger=str(LEDGER))
    elif entry.status == "retired":
        report.error("code-ledger", where, "code-ledger.retired", hint="hint.issue-new-code",
                     code=site.code)
    else:
        carriers[key] = site


def _check_entry_honoured(entry: LedgerEntry, carriers: dict[str, HeritageSite],
                          site_ids: set[str], report: Diagnostics) -> None:
    if entry.status != "active" or entry.code.upper() in carriers:
        return
    if entry.site in site_ids:
        report.error("code-ledger", entry.source, "code-ledger.not-carried",
                     hint="hint.carry-code", code=entry.code, site=entry.site)
    else:
        report.error("code-ledger", entry.source, "code-ledger.site-gone",
                     hint="hint.retire", code=entry.code, site=entry.site)


def check_ledger_history(root: Path, ledger: Sequence[LedgerEntry], report: Diagnostics,
                         *, final: bool = False) -> None:
    """Every entry ever committed must still be in the ledger, unchanged but for retiring.
    A history that cannot be seen whole is said (an error in a `final` build, for print)."""
    current = {entry.code.upper(): entry for entry in ledger}
    for commit, entries in _committed_ledgers(root):
        for old in entries:
            now = current.get(str(old.get("code", "")).upper())
            args = {"code": old.get("code"), "commit": commit, "site": old.get("site"),
                    "issued": old.get("issued"), "ledger": str(LEDGER)}
            if now is None:
                key = "code-ledger.deleted"
            elif (now.code, now.site, now.issued) != (old.get("code"), old.get("site"),
                                                      old.get("issued")):
                key = "code-ledger.rewritten"
            elif old.get("status") == "retired" and now.status != "retired":
                key = "code-ledger.unretired"
            else:
                continue
            where = SourceRef(LEDGER, 1, 1) if now is None else now.source
            report.error("code-ledger", where, key, hint="hint.append-only", **args)
    gap = _history_gap(root) if ledger else None
    if gap is not None:
        (report.error if final else report.warning)(
            "code-ledger", SourceRef(LEDGER, 1, 1), f"code-ledger.{gap}", hint=f"hint.{gap}")


def _history_gap(root: Path) -> str | None:
    """Why git cannot show the whole history, so the check above must say so rather than
    pass in silence: a shallow copy (CI checkouts often are), or git refusing a checkout
    another user owns; None when it can, or outside git."""
    try:
        shallow = git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except OSError:
        return None
    except subprocess.CalledProcessError as error:
        return "refused" if "dubious ownership" in (error.stderr or "") else None
    return "shallow" if shallow else None


_TEXT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when present

def _committed_ledgers(root: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """(short commit, entries) for each commit that changed the ledger; [] outside git."""
    try:
        top = git(root, "rev-parse", "--show-toplevel").strip()
        path = (root / LEDGER).resolve().relative_to(Path(top).resolve()).as_posix()
        commits = git(root, "log", "--format=%h", "--", path).split()
    except (OSError, subprocess.CalledProcessError, ValueError):
        return []
    versions = []
    for commit in commits:
        try:
            data = yaml.load(git(root, "show", f"{commit}:{path}"), Loader=_TEXT_LOADER)
        except (subprocess.CalledProcessError, yaml.YAMLError):
            continue  # the file was deleted in that commit, or was broken then
        entries = data.get("codes") if isinstance(data, dict) else None
        versions.append((commit, [e for e in entries or [] if isinstance(e, dict)]))
    return versions


def is_placeholder_url(site_url: str) -> bool:
    """Whether `site_url` cannot be the real public address (example, local, not https)."""
    parts = urlsplit(site_url)
    return parts.scheme != "https" or bool(PLACEHOLDER_HOSTS.search(parts.hostname or ""))


def report_sizes(config: ProjectConfig, ledger: Sequence[LedgerEntry],
                 report: Diagnostics) -> None:
    """Each active code's QR version and module count; a warning when it grows too big."""
    for entry in ledger:
        if entry.status != "active" or qr.validate_code(entry.code):
            continue
        payload = qr.plaque_url(config.site_url, entry.code)
        symbol = qr.measure(payload)
        too_big = symbol.version > MAX_ALPHANUMERIC_VERSION
        (report.warning if too_big else report.info)(
            "qr-size", entry.source, hint="hint.shorter-url" if too_big else None,
            code=entry.code, payload=payload, version=symbol.version, size=symbol.size,
            error=symbol.error, limit=MAX_ALPHANUMERIC_VERSION)


def assign_codes(root: Path, site_ids: Sequence[str], ledger: Sequence[LedgerEntry],
                 today: datetime.date) -> list[tuple[str, str]]:
    """Issue a code to each of `site_ids`: append to the ledger, write it in their site.yml.

    Files are edited as text so editors' comments and order stay as they were.
    """
    issued = [entry.code for entry in ledger]
    assigned = []
    for site_id in site_ids:
        code = qr.next_code(issued)
        issued.append(code)
        assigned.append((site_id, code))
        site_file = root / "sites" / site_id / "site.yml"
        site_file.write_text(f'code: "{code}"\n' + site_file.read_text("utf-8"), "utf-8")
    if assigned:
        ledger_file = root / LEDGER
        text = ledger_file.read_text("utf-8") if ledger_file.is_file() else LEDGER_HEADER
        text = text if text.endswith("\n") else text + "\n"
        text += "".join(f'  - code: "{code}"\n    site: {site_id}\n    issued: '
                        f'"{today.isoformat()}"\n    status: active\n'
                        for site_id, code in assigned)
        ledger_file.write_text(text, "utf-8")
    return assigned
