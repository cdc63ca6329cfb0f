"""pdftext.add_font parses a font once per process and pdftext.output cuts a font down once
per set of glyphs: the documents they make must be the same, byte for byte, as those
fpdf2's own add_font and output make, however many come after the first."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fpdf import FPDF

import pdftext
from generator.assets.print_files import CJK_FONT, FONT_FILES

TEXTS = ["Tháp nước Phan Thiết", "Водонапорная башня", "Trường Dục Thanh — 1907",
         "판티엣 급수탑 萬水秀", "Lầu Ông Hoàng", "Pô Sah Inư"]


def _document(text: str, own: bool) -> bytes:
    pdf = FPDF(unit="mm")
    pdf.set_creation_date(datetime.fromtimestamp(0, timezone.utc))
    for style, face in (("", "regular"), ("B", "bold")):
        if own:
            pdftext.add_font(pdf, "Body", style, FONT_FILES[face])
        else:
            pdf.add_font("Body", style, str(FONT_FILES[face]))
    pdftext.attach(pdf, "Body", [CJK_FONT] if CJK_FONT[0].exists() else [])
    pdf.add_page()
    for style in ("", "B"):
        pdf.set_font("Body", style, 14)
        pdftext.draw_text(pdf, 10, 20 if style else 40, text)
    return pdftext.output(pdf) if own else bytes(pdf.output())


@pytest.fixture(autouse=True)
def _nothing_parsed_yet(monkeypatch):
    monkeypatch.setattr(pdftext, "_PARSED", {})
    monkeypatch.setattr(pdftext, "_SUBSETS", {})


class _Forgetful(dict):
    """A store that keeps nothing: every font parsed by fpdf2 itself (the fallbacks too)."""

    def __setitem__(self, key, value):
        pass


def test_documents_after_the_first_are_the_bytes_fpdf2_makes(monkeypatch):
    ours = [_document(text, own=True) for text in TEXTS + TEXTS]  # the second time: kept cuts
    assert len(pdftext._PARSED) >= 2  # the later documents did take the stored fonts
    assert len(pdftext._SUBSETS) >= len(TEXTS) * 2
    monkeypatch.setattr(pdftext, "_PARSED", _Forgetful())
    assert ours == [_document(text, own=False) for text in TEXTS + TEXTS]


def test_a_document_changes_nothing_the_next_one_reads():
    first = _document(TEXTS[3], own=True)
    _document("abcdefghijklmnopqrstuvwxyz ĂÂĐÊÔƠƯ 0123456789", own=True)
    assert _document(TEXTS[3], own=True) == first
