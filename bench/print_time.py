"""Time the print PDFs: one plaque per paper, and one sticker sheet of 12 codes.

Usage: .venv/bin/python bench/print_time.py [repetitions]   (default 20)
Prints milliseconds per PDF (best, median, worst) and the PDF size; no assertions.
Every call builds a fresh document, so the times include loading and subsetting the fonts.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from qr import PAPER, Fonts, PlaqueText, Sticker, plaque_pdf, plaque_url, sticker_sheet_pdf

FONTS = Path(__file__).resolve().parent.parent / "generator" / "fonts"
SITE = "https://disan.example.vn/"
TEXTS = (PlaqueText("Tháp nước Phan Thiết", "Tháp nước xây 1928–1934, biểu tượng thành phố",
                    "Quét để xem lịch sử, bản đồ"),
         PlaqueText("Phan Thiet Water Tower", "A water tower built 1928–1934, symbol of the city",
                    "Scan for history and map"))
FOOTER = "Hội Di sản Bình Thuận · CC BY-SA 4.0"


def timed(build, repetitions: int) -> tuple[list[float], int]:
    """Milliseconds of each call, and the size of the last PDF."""
    times, size = [], 0
    for _ in range(repetitions):
        start = time.perf_counter()
        size = len(build())
        times.append((time.perf_counter() - start) * 1000)
    return times, size


def report(label: str, times: list[float], size: int) -> None:
    print(f"{label:<22} best {min(times):7.1f} ms  median {statistics.median(times):7.1f} ms  "
          f"worst {max(times):7.1f} ms  {size:7,d} bytes")


def main(repetitions: int) -> None:
    fonts = Fonts(FONTS / "NotoSans-Regular.ttf", FONTS / "NotoSans-Bold.ttf")
    print(f"{repetitions} repetitions each")
    for paper in PAPER:
        def plaque(paper=paper):
            return plaque_pdf(payload=plaque_url(SITE, "7K"), short_url="disan.example.vn/q/7k",
                              code="7K", texts=TEXTS, footer=FOOTER, paper=paper, fonts=fonts,
                              draft=False, epoch=0)
        report(f"plaque {paper}", *timed(plaque, repetitions))
    codes = [f"{a}{b}" for a in "23456789" for b in "ABCDEFGH"][:12]
    items = [Sticker(plaque_url(SITE, code), code, f"Di tích {code} · Bưng Kò Ke")
             for code in codes]
    report("sticker sheet of 12", *timed(
        lambda: sticker_sheet_pdf(items, fonts=fonts, draft=False, epoch=0), repetitions))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
