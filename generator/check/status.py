"""Translation status: for every site and language, up to date, missing, or stale and why.

A translation records the fingerprint of the source text it was made from (`translated_from`).
When the source has changed, the version it was made from is looked up in git history, so the
editor learns which fields and sections changed, not just that something did.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.load.config import ProjectConfig
from generator.load.project import text_hash
from generator.core.messages import tr
from generator.core.model import Narrative, Project
from generator.core.repo import git

HEADING = re.compile(r"^(#{2,3})\s+(.*?)\s*#*\s*$", re.M)


@dataclass(frozen=True)
class TranslationState:
    site: str
    lang: str
    state: str  # source | ok | missing | stale | unknown
    changed: tuple[str, ...] = ()  # "title", "summary", "## History", ...


def translation_status(config: ProjectConfig, project: Project) -> list[TranslationState]:
    """One state per site and language, sites sorted by id, languages as configured."""
    states = []
    for site in project.sites:
        source = site.narratives.get(config.default_lang)
        for lang in config.lang_codes:
            narrative = site.narratives.get(lang)
            states.append(_state(config.root, site.id, lang, narrative, source,
                                 lang == config.default_lang))
    return states


def _state(root: Path, site_id: str, lang: str, narrative: Narrative | None,
           source: Narrative | None, is_source: bool) -> TranslationState:
    if is_source:
        return TranslationState(site_id, lang, "source" if narrative else "missing")
    if narrative is None:
        return TranslationState(site_id, lang, "missing")
    if source is None or narrative.translated_from == source.text_hash:
        return TranslationState(site_id, lang, "ok")
    if narrative.translated_from is None:
        return TranslationState(site_id, lang, "unknown")
    old = _source_version(root, source.source.path, narrative.translated_from)
    current = (root / source.source.path).read_text("utf-8")
    changed = _changed_parts(old, current) if old is not None else ()
    return TranslationState(site_id, lang, "stale", changed)


def _source_version(root: Path, path: PurePosixPath, fingerprint: str) -> str | None:
    """The committed version of `path` whose fingerprint is `fingerprint`, if any."""
    try:
        commits = git(root, "log", "--format=%h", "--", str(path)).split()
        for commit in commits:
            text = git(root, "show", f"{commit}:{path}")
            normal = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
            if text_hash(normal) == fingerprint:
                return normal
    except (OSError, subprocess.CalledProcessError):
        return None
    return None


def _parts(text: str) -> dict[str, str]:
    """Front-matter fields and body sections of a page, by name."""
    parts: dict[str, str] = {}
    body = text
    if text.startswith("---\n") and "\n---" in text[4:]:
        front, body = text[4:].split("\n---", 1)
        for line in front.split("\n"):
            if ":" in line and not line.startswith((" ", "#")):
                name, value = line.split(":", 1)
                parts[name.strip()] = value.strip()
    pieces = HEADING.split(body)
    parts["(intro)"] = pieces[0].strip()
    for index in range(1, len(pieces), 3):
        parts[f"{pieces[index]} {pieces[index + 1]}"] = pieces[index + 2].strip()
    return parts


def _changed_parts(old: str, new: str) -> tuple[str, ...]:
    before, after = _parts(old), _parts(new)
    names = [name for name in after if before.get(name) != after[name]]
    names += [name for name in before if name not in after]
    return tuple(name for name in names if name != "translated_from")


def format_status(states: list[TranslationState], config: ProjectConfig, lang: str) -> str:
    """The sites × languages matrix, then one line per stale translation naming the changes."""
    width = max([len(s.site) for s in states] + [4]) + 2
    header = tr("status.site", lang).ljust(width) + "".join(c.ljust(10) for c in config.lang_codes)
    rows, notes = [header], []
    by_site: dict[str, list[TranslationState]] = {}
    for state in states:
        by_site.setdefault(state.site, []).append(state)
    for site, cells in by_site.items():
        rows.append(site.ljust(width) + "".join(
            tr(f"status.{cell.state}", lang).ljust(10) for cell in cells))
        for cell in cells:
            if cell.state == "stale":
                changed = ", ".join(cell.changed) or tr("status.not-in-git", lang)
                notes.append(tr("status.stale-note", lang, site=site, lang=cell.lang,
                                changed=changed))
    return "\n".join(rows + ([""] + notes if notes else [])) + "\n"
