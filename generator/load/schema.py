"""The field schema for editor files, declared once: validation and the editors' guide read it.

`validate()` walks a YAML node tree against a `Field` spec and returns plain Python values,
reporting every problem (unknown field with a suggestion, missing field, wrong kind, bad value)
with its position. Positions of accepted values are returned too, for later checks.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.load.sourcefile import ref

LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
TRUE_WORDS = {"true": True, "yes": True, "false": False, "no": False}


@dataclass(frozen=True)
class Field:
    """One field editors may write. `doc` and `example` feed the editors' guide."""

    kind: str  # text | localized | date | number | bool | url | choice | tags | map | list
    doc: str
    required: bool = False
    example: str = ""
    choices: tuple[str, ...] = ()
    fields: Mapping[str, Field] = field(default_factory=dict)  # for map, and list of map
    minimum: float | None = None
    maximum: float | None = None


SITE_TYPES = ("tower", "temple", "communal-house", "pagoda", "school", "museum", "ruins",
              "revolutionary-base", "monument", "landscape", "other")
RECOGNITION_LEVELS = ("special-national", "national", "provincial", "none")

LOCALIZED_DOC = "a text per language: one line per language code (vi, en, ...)"

SITE_FIELDS: dict[str, Field] = {
    "code": Field("text", "The site's permanent QR code. `heritage codes assign` writes it and "
                  "records it in sites/issued-codes.yml; never change or reuse it.",
                  example='"7K"'),
    "type": Field("choice", "What kind of place this is.", required=True,
                  example="tower", choices=SITE_TYPES),
    "tags": Field("tags", "Short lower-case words for grouping, e.g. architecture.",
                  example="[architecture, french-colonial]"),
    "coordinates": Field("map", "Where the site is (WGS84, as a phone GPS shows it). Leave "
                         "the whole block out if nobody knows yet.", fields={
        "lat": Field("number", "Latitude in decimal degrees (north is positive).",
                     required=True, example="10.92912", minimum=-90, maximum=90),
        "lon": Field("number", "Longitude in decimal degrees (east is positive).",
                     required=True, example="108.09992", minimum=-180, maximum=180),
        "accuracy_m": Field("number", "How far off the point may be, in metres.",
                            example="70", minimum=0, maximum=100000),
        "verified": Field("bool", "true only once someone has checked the point on site.",
                          required=True, example="false"),
        "note": Field("localized", "How the point was obtained (" + LOCALIZED_DOC + ")."),
    }),
    "address": Field("map", "The postal address, current and former.", fields={
        "street": Field("text", "Street and number, as written locally.",
                        example='"39 Trưng Nhị"'),
        "ward": Field("text", "The ward or commune today.", example='"Phường Phan Thiết"'),
        "province": Field("text", "The province today.", example='"Lâm Đồng"'),
        "former": Field("text", "The address as older maps and sources give it "
                        "(before the 2025 mergers).",
                        example='"Phường Đức Nghĩa, TP Phan Thiết, tỉnh Bình Thuận"'),
        "verified": Field("bool", "true once the current ward is confirmed.",
                          example="false"),
    }),
    "period": Field("map", "When the site was built or in use.", fields={
        "start": Field("date", "First year (or date).", example='"1928"'),
        "end": Field("date", "Last year (or date).", example='"1934"'),
        "label": Field("localized", "Free text such as 'late 8th century' (" +
                       LOCALIZED_DOC + ")."),
    }),
    "recognition": Field("list", "Official heritage rankings, one entry per decision.",
                         fields={
        "level": Field("choice", "The ranking level.", required=True,
                       example="national", choices=RECOGNITION_LEVELS),
        "date": Field("date", "Date of the decision.", example='"1986-12-12"'),
        "decision": Field("text", "The decision number, only if a source gives it.",
                          example='"1288-VH/QĐ"'),
        "verified": Field("bool", "true if an official source confirms it.",
                          example="false"),
    }),
    "hours": Field("localized", "Opening hours (" + LOCALIZED_DOC + ")."),
    "admission": Field("localized", "Tickets and prices (" + LOCALIZED_DOC + ")."),
    "sources": Field("list", "Where the facts come from; every site needs at least one.",
                     required=True, fields={
        "title": Field("text", "Title of the article or book.", required=True,
                       example='"Tháp nước bên sông Cà Ty"'),
        "url": Field("url", "Web address, if any.", example='"https://thanhnien.vn/..."'),
        "publisher": Field("text", "Who published it.", example='"Thanh Niên"'),
        "accessed": Field("date", "When you read it.", example='"2026-11-27"'),
    }),
    "media": Field("list", "Photos in the site's media/ folder.", fields={
        "file": Field("text", "The file name inside the site folder.", required=True,
                      example="media/front.jpg"),
        "alt": Field("localized", "What the photo shows, for people who cannot see it "
                     "(" + LOCALIZED_DOC + ").", required=True),
        "caption": Field("localized", "Caption under the photo (" + LOCALIZED_DOC + ")."),
        "credit": Field("text", "The photographer or owner.", required=True,
                        example='"Nguyễn Văn A"'),
        "licence": Field("text", "The licence, e.g. CC BY-SA 4.0.", required=True,
                         example='"CC BY-SA 4.0"'),
        "source_url": Field("url", "Where the photo was published, if anywhere."),
        "keep_location": Field("bool", "true to publish where the photo was taken (the GPS "
                               "position the camera saved in it); otherwise it is removed.",
                               example="false"),
    }),
}

NARRATIVE_FIELDS: dict[str, Field] = {
    "title": Field("text", "The site's name in this language.", required=True,
                   example='"Tháp nước Phan Thiết"'),
    "summary": Field("text", "One or two sentences for lists and search results.",
                     required=True),
    "translated_from": Field("text", "For translations: the short code of the source "
                             "text this was translated from (the tool tells you).",
                             example='"3f9a1c0b2e"'),
}

PAGE_FIELDS: dict[str, Field] = {
    "title": Field("text", "The page title.", required=True, example='"Về dự án"'),
    "menu": Field("number", "Position in the site menu (lower comes first); leave it out "
                  "to keep the page out of the menu.", example="2", minimum=0, maximum=1000),
}


@dataclass
class Validated:
    """Plain values from a validated node, and where each one was written (of the types its
    schema names, which are known only when the schema is read: hence Any)."""

    values: dict[str, Any]
    refs: dict[str, SourceRef]
    ok: bool


@dataclass
class _Walk:
    rel: PurePosixPath
    report: Diagnostics
    languages: tuple[str, ...]
    line_offset: int
    refs: dict[str, SourceRef] = field(default_factory=dict)
    ok: bool = True

    def where(self, node: yaml.Node | None) -> SourceRef:
        return ref(self.rel, node, self.line_offset)

    def error(self, code: str, node: yaml.Node | None, key: str | None = None,
              hint: str | None = None, **args: object) -> None:
        self.ok = False
        self.report.error(code, self.where(node), key, hint, **args)


def validate(
    node: yaml.Node | None,
    spec: Mapping[str, Field],
    rel: PurePosixPath,
    report: Diagnostics,
    *,
    languages: tuple[str, ...],
    line_offset: int = 0,
) -> Validated:
    """Check a mapping node against `spec`; report every problem, return what is valid."""
    walk = _Walk(rel, report, languages, line_offset)
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    values = _mapping(walk, node, spec, "")
    return Validated(values or {}, walk.refs, walk.ok)


def _mapping(walk: _Walk, node: yaml.Node, spec: Mapping[str, Field], prefix: str
             ) -> dict[str, object] | None:
    if not isinstance(node, yaml.MappingNode):
        walk.error("wrong-type", node, "wrong-type.mapping", hint="hint.see-guide",
                   field=prefix.rstrip(".") or "-")
        return None
    values: dict[str, Any] = {}
    for key_node, value_node in node.value:
        name = str(key_node.value)
        if name not in spec:
            close = difflib.get_close_matches(name, list(spec), n=1, cutoff=0.6)
            walk.error("unknown-field", key_node, hint="hint.did-you-mean" if close else
                       "hint.known-fields", field=prefix + name,
                       suggestion=close[0] if close else "", known=", ".join(spec))
            continue
        walk.refs[prefix + name] = walk.where(value_node)
        value = _value(walk, value_node, spec[name], prefix + name)
        if value is not None:
            values[name] = value
    for name, fld in spec.items():
        if fld.required and name not in values and not _present(node, name):
            walk.error("missing-field", node, hint="hint.add-line", field=prefix + name,
                       name=name, example=fld.example or "...")
    return values


def _present(node: yaml.MappingNode, name: str) -> bool:
    return any(str(key.value) == name for key, _ in node.value)


def _value(walk: _Walk, node: yaml.Node, fld: Field, path: str) -> object:
    if fld.kind == "map":
        return _mapping(walk, node, fld.fields, path + ".")
    if fld.kind == "list":
        return _list(walk, node, fld, path)
    if fld.kind == "localized":
        return _localized(walk, node, path)
    if fld.kind == "tags":
        return _tags(walk, node, path)
    if not isinstance(node, yaml.ScalarNode):
        walk.error("wrong-type", node, "wrong-type.scalar", hint="hint.one-line", field=path,
                   name=path.split(".")[-1], example=fld.example)
        return None
    _word_habits(walk, node, path)
    return _scalar(walk, node, fld, path, node.value.strip())


CURLY_OPEN, CURLY_CLOSE = "“‘", "”’"  # not « » or „ “: Russian and German text use them
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def _word_habits(walk: _Walk, node: yaml.ScalarNode, path: str) -> None:
    """What a word processor or a web page leaves in a value: curly quotes where YAML needs
    straight ones, and characters nobody can see. Warnings: the value may still be valid."""
    text = node.value.strip()
    if not node.style and len(text) > 1 and text[0] in CURLY_OPEN and \
            text[-1] in CURLY_CLOSE:
        walk.report.warning("bad-value", walk.where(node), "bad-value.curly-quotes",
                            "hint.straight-quotes", field=path)
    found = INVISIBLE.search(node.value)
    if found:
        walk.report.warning("bad-value", walk.where(node), "bad-value.invisible",
                            "hint.invisible", field=path, char=f"U+{ord(found.group()):04X}")


def _scalar(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    check = _SCALARS[fld.kind]
    return check(walk, node, fld, path, text)


def _text(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    if not text and fld.required:
        walk.error("missing-field", node, "missing-field.empty", hint="hint.write-here",
                   field=path)
        return None
    return text


def _number(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        walk.error("wrong-type", node, "wrong-type.number", hint="hint.decimal-comma"
                   if "," in text else "hint.digits", field=path, text=text,
                   example=fld.example)
        return None
    if (fld.minimum is not None and number < fld.minimum) or (
        fld.maximum is not None and number > fld.maximum
    ):
        code = "bad-coordinates" if path.startswith("coordinates.") else "bad-value"
        walk.error(code, node, "out-of-range", hint="hint.lat-lon" if path.endswith(
                   ("lat", "lon")) else "hint.check-number", field=path, text=text,
                   low=f"{fld.minimum:g}", high=f"{fld.maximum:g}")
        return None
    return number


def _bool(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    if text.lower() not in TRUE_WORDS:
        walk.error("bad-value", node, "bad-value.bool", hint="hint.true-false", field=path,
                   text=text)
        return None
    return TRUE_WORDS[text.lower()]


def _date(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    match = DATE.match(text)
    ok = match is not None
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            datetime.date(year or 1, month or 1, day or 1)
        except ValueError:
            ok = False
    if not ok:
        walk.error("bad-date", node, hint="hint.bad-date", field=path, text=text)
        return None
    return text


def _url(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", text):
        walk.error("bad-value", node, "bad-value.url", hint="hint.url", field=path, text=text)
        return None
    return text


def _choice(walk: _Walk, node: yaml.Node, fld: Field, path: str, text: str) -> object:
    if text not in fld.choices:
        close = difflib.get_close_matches(text, fld.choices, n=1, cutoff=0.6)
        walk.error("bad-value", node, "bad-value.choice", hint="hint.allowed-suggest" if close
                   else "hint.allowed", field=path, text=text,
                   suggestion=close[0] if close else "", allowed=", ".join(fld.choices))
        return None
    return text


_SCALARS = {"text": _text, "number": _number, "bool": _bool, "date": _date, "url": _url,
            "choice": _choice}


def _list(walk: _Walk, node: yaml.Node, fld: Field, path: str) -> object:
    if isinstance(node, yaml.ScalarNode) and not node.value.strip():
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [], node.start_mark)  # `key:` alone
    if not isinstance(node, yaml.SequenceNode):
        walk.error("wrong-type", node, "wrong-type.list", hint="hint.see-guide", field=path)
        return None
    if fld.required and not node.value:
        walk.error("missing-field", node, "missing-field.entries", hint="hint.see-guide",
                   field=path)
    items = []
    for index, item in enumerate(node.value):
        value = _mapping(walk, item, fld.fields, f"{path}[{index + 1}].")
        if value is not None:
            items.append(value)
    return items


def _localized(walk: _Walk, node: yaml.Node, path: str) -> object:
    if not isinstance(node, yaml.MappingNode):
        walk.error("wrong-type", node, "wrong-type.localized", hint="hint.localized",
                   field=path, name=path.split(".")[-1])
        return None
    texts: dict[str, str] = {}
    for key_node, value_node in node.value:
        lang = str(key_node.value)
        if lang not in walk.languages:
            close = difflib.get_close_matches(lang, walk.languages, n=1)
            walk.error("unknown-language", key_node, "unknown-language.text",
                       hint="hint.languages-suggest" if close else "hint.languages",
                       field=path, lang=lang, suggestion=close[0] if close else "",
                       languages=", ".join(walk.languages))
        elif not isinstance(value_node, yaml.ScalarNode):
            walk.error("wrong-type", value_node, "wrong-type.text", hint="hint.quoted-text",
                       field=f"{path}.{lang}")
        else:
            _word_habits(walk, value_node, f"{path}.{lang}")
            texts[lang] = value_node.value.strip()
    return texts


def _tags(walk: _Walk, node: yaml.Node, path: str) -> object:
    if not isinstance(node, yaml.SequenceNode):
        walk.error("wrong-type", node, "wrong-type.tags", hint="hint.tags", field=path)
        return None
    tags = []
    for item in node.value:
        text = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
        if not TAG.match(text):
            walk.error("bad-value", item, "bad-value.tag", hint="hint.tag", text=text)
        else:
            tags.append(text)
    return tags
