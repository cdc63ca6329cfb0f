"""What the build tells editors: positioned diagnostics, collected rather than raised.

Every problem an editor can fix becomes a `Diagnostic` with a stable code, so one run reports
all of them as `path:line:col: error[code]: message` followed by a hint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from generator.model import SourceRef


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a failure (e.g. each QR code's size)


# The registry of diagnostic codes. Codes are a contract with editors and the guide: never
# rename one; add new ones. Each maps to a one-line description used by the editors' guide.
CODES: dict[str, str] = {
    "yaml-syntax": "The YAML could not be read (unclosed quote, tab indentation, stray colon).",
    "duplicate-key": "The same field is written twice in one mapping.",
    "unknown-field": "A field the tool does not know (often a spelling mistake).",
    "missing-field": "A required field is not there.",
    "wrong-type": "A field holds the wrong kind of value (text, list, mapping, number).",
    "bad-value": "A value is not one of the allowed choices or has the wrong form.",
    "bad-date": "A date is not a real date in the form YYYY, YYYY-MM or YYYY-MM-DD.",
    "bad-coordinates": "Latitude or longitude is out of range or outside the configured region.",
    "bad-site-id": "A site folder name is not a permanent lower-case ASCII id.",
    "duplicate-site-id": "Two sites would publish to the same address.",
    "missing-file": "A file the site needs (a language page, an image) is missing.",
    "not-utf8": "A file is not saved as UTF-8 text.",
    "front-matter": "The block between the two '---' lines at the top of a page is broken.",
    "unsafe-html": "The Markdown contains something that could run code in a reader's browser.",
    "broken-link": "A link points at a page or anchor that the build does not produce.",
    "output-conflict": "Two sources would write the same output file.",
    "unknown-language": "A language code that the configuration does not declare.",
    "missing-translation": "A text is missing in a language; the page shows a fallback.",
    "stale-translation": "The source text changed after this translation was made.",
    "no-coordinates": "A site has no coordinates, so it is left off maps and nearby lists.",
    "bad-code": "A QR code uses letters outside the code alphabet, lower case, or is too long.",
    "code-ledger": "A QR code and the ledger of issued codes (sites/issued-codes.yml) disagree.",
    "no-code": "A site has no QR code yet.",
    "qr-size": "How big a site's QR code is (version, modules) and whether that is too big.",
    "placeholder-url": "Final print assets need the real public address in site_url.",
    "qr-unreadable": "A published QR code does not decode to its address.",
    "tour": "A walking tour names a site that does not exist, or one site twice.",
    "config": "The project configuration (mkdocs.yml) is invalid.",
    "render-failed": "The site renderer (MkDocs) failed.",
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, with where it is and what to do about it."""

    severity: Severity
    code: str
    message: str
    where: SourceRef
    hint: str | None = None

    def line(self) -> str:
        """The compiler-style one-liner: `path:line:col: error[code]: message`."""
        return f"{self.where}: {self.severity.value}[{self.code}]: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "path": str(self.where.path),
            "line": self.where.line,
            "column": self.where.column,
            "hint": self.hint,
        }


@dataclass
class Diagnostics:
    """The collector every stage reports to; keeps order, drops exact repeats."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, where: SourceRef, hint: str | None = None) -> None:
        self._add(Diagnostic(Severity.ERROR, code, message, where, hint))

    def warning(self, code: str, message: str, where: SourceRef, hint: str | None = None) -> None:
        self._add(Diagnostic(Severity.WARNING, code, message, where, hint))

    def info(self, code: str, message: str, where: SourceRef, hint: str | None = None) -> None:
        self._add(Diagnostic(Severity.INFO, code, message, where, hint))

    def _add(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {diagnostic.code!r}")
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def failed(self, *, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.where.sort_key(), d.code, d.message))

    def lines(self) -> list[str]:
        return [d.line() for d in self.sorted()]

    def to_text(self) -> str:
        out: list[str] = []
        for d in self.sorted():
            out.append(d.line())
            if d.hint:
                out.append(f"  hint: {d.hint}")
        return "\n".join(out)

    def to_json(self) -> str:
        return json.dumps([d.as_dict() for d in self.sorted()], ensure_ascii=False, indent=2)

    def summary(self) -> str:
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"

    def problems(self) -> list[Diagnostic]:
        """Errors and warnings: what an editor has to act on."""
        return [d for d in self.items if d.severity is not Severity.INFO]
