"""What the build tells editors: positioned diagnostics, collected rather than raised.

Every problem an editor can fix becomes a `Diagnostic` with a stable code, so one run reports
all of them as `path:line:col: error[code]: message` followed by a hint.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from generator.core.messages import Phrase, phrase, shown, tr
from generator.core.model import SourceRef

INFO_SHOWN = 10  # info lines of one kind printed as text before "N more like these"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a failure (e.g. each QR code's size)


# The registry of diagnostic codes. Codes are a contract with editors and the guide: never
# rename one; add new ones. Each has a description in messages.yml under `code.<code>`.
CODES: tuple[str, ...] = (
    "yaml-syntax",
    "duplicate-key",
    "unknown-field",
    "missing-field",
    "wrong-type",
    "bad-value",
    "bad-date",
    "bad-coordinates",
    "bad-site-id",
    "duplicate-site-id",
    "missing-file",
    "not-utf8",
    "front-matter",
    "unsafe-html",
    "broken-link",
    "output-conflict",
    "unknown-language",
    "missing-translation",
    "stale-translation",
    "no-coordinates",
    "bad-code",
    "code-ledger",
    "no-code",
    "qr-size",
    "placeholder-url",
    "qr-unreadable",
    "tour",
    "print",
    "config",
    "render-failed",
    "bad-image",
    "image-too-large",
    "missing-alt",
    "bad-csv",
)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content, with where it is and what to do about it."""

    severity: Severity
    code: str
    where: SourceRef
    text: Phrase
    advice: Phrase | None = None

    @property
    def message(self) -> str:
        return self.text.render("en")

    @property
    def hint(self) -> str | None:
        return self.advice.render("en") if self.advice else None

    def line(self, lang: str = "en") -> str:
        """The compiler-style one-liner: `path:line:col: error[code]: message`."""
        return f"{shown(str(self.where))}: {self.severity.value}[{self.code}]: " \
            f"{self.text.render(lang)}"

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.text.render(lang),
            "path": str(self.where.path),
            "line": self.where.line,
            "column": self.where.column,
            "hint": self.advice.render(lang) if self.advice else None,
        }


@dataclass
class Diagnostics:
    """The collector every stage reports to; keeps order, drops exact repeats.

    `key` names the message in the catalogue (default: the code itself), `hint` the hint's
    key; both are filled in with `args` when printed, in the reader's language.
    """

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def error(self, code: str, where: SourceRef, /, key: str | None = None,
              hint: str | None = None, **args: object) -> None:
        self._add(Severity.ERROR, code, where, key, hint, args)

    def warning(self, code: str, where: SourceRef, /, key: str | None = None,
                hint: str | None = None, **args: object) -> None:
        self._add(Severity.WARNING, code, where, key, hint, args)

    def info(self, code: str, where: SourceRef, /, key: str | None = None,
             hint: str | None = None, **args: object) -> None:
        self._add(Severity.INFO, code, where, key, hint, args)

    def _add(self, severity: Severity, code: str, where: SourceRef, key: str | None,
             hint: str | None, args: dict[str, object]) -> None:
        if code not in CODES:
            raise ValueError(f"unregistered diagnostic code {code!r}")
        self._keep(Diagnostic(severity, code, where, phrase(key or code, **args),
                              phrase(hint, **args) if hint else None))

    def _keep(self, diagnostic: Diagnostic) -> None:
        try:  # a set, not the list: a province's build reports thousands of lines
            if diagnostic in self._seen:
                return
            self._seen.add(diagnostic)
        except TypeError:  # a value that cannot be hashed: compare with the list instead
            if diagnostic in self.items:
                return
        self.items.append(diagnostic)

    def extend(self, other: Diagnostics) -> None:
        """Add another collector's diagnostics, in their order, repeats dropped."""
        for diagnostic in other.items:
            self._keep(diagnostic)

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

    def lines(self, lang: str = "en") -> list[str]:
        return [d.line(lang) for d in self.sorted()]

    def to_text(self, lang: str = "en") -> str:
        """Every error and warning; of each kind of info, the first `INFO_SHOWN` and how
        many more (a province's build has an info line per code; JSON lists them all)."""
        out: list[str] = []
        infos: Counter[str] = Counter()
        for d in self.sorted():
            if d.severity is Severity.INFO:
                infos[d.code] += 1
                if infos[d.code] > INFO_SHOWN:
                    continue
            out.append(d.line(lang))
            if d.advice:
                out.append(f"  {tr('label.hint', lang)}: {d.advice.render(lang)}")
        for code, count in infos.items():
            if count > INFO_SHOWN:
                out.append(tr("info-more", lang, code=code, count=count - INFO_SHOWN))
        return "\n".join(out)

    def to_json(self, lang: str = "en") -> str:
        return json.dumps([d.as_dict(lang) for d in self.sorted()], ensure_ascii=False,
                          indent=2)

    def summary(self, lang: str = "en") -> str:
        return tr("summary", lang, errors=len(self.errors), warnings=len(self.warnings))

    def problems(self) -> list[Diagnostic]:
        """Errors and warnings: what an editor has to act on."""
        return [d for d in self.items if d.severity is not Severity.INFO]
