"""The printable map's palette and pen: its colours, the type measures, and the few drawing steps
that every part of the page shares (setting the pen, shrinking type to fit, centring text, the
tagged marker circle, the sheet square of an index page). They live in one place so that the map and its legend draw the same
marker the same way, and so that the marker fill stays a colour used nowhere else inside the
frame, which is how tests find the markers on a rendered page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdftext import draw_text, text_width

if TYPE_CHECKING:
    from fpdf import FPDF

Colour = tuple[int, int, int]

MARKER_RADIUS_MM = 3.0

MARKER_FILL: Colour = (190, 30, 45)
ROUTE_COLOUR: Colour = (45, 70, 160)
SCHEMATIC_COLOUR: Colour = (140, 190, 230)
GRID_COLOUR: Colour = (200, 200, 200)
GRID_TEXT: Colour = (120, 120, 120)
FRAME_COLOUR: Colour = (70, 70, 70)
LEADER_COLOUR: Colour = (50, 50, 50)
LEGEND_BORDER: Colour = (150, 150, 150)
BLACK: Colour = (0, 0, 0)
WHITE: Colour = (255, 255, 255)

FONT = "MapSans"  # the family name both embedded fonts are registered under
PT = 25.4 / 72  # one point in mm
CAP_HEIGHT = 0.714  # Noto Sans cap height / em: centres digits vertically


def set_pen(pdf: FPDF, colour: Colour, width: float) -> None:
    """Set the stroke colour and width together, as every line on the page needs both."""
    pdf.set_draw_color(*colour)
    pdf.set_line_width(width)


def fit_font(
    pdf: FPDF, style: str, text: str, width: float, largest: float, smallest: float
) -> float:
    """The largest size (0.5 pt steps) at which text fits on one line, or ValueError."""
    size = largest
    while size >= smallest:
        pdf.set_font(FONT, style, size)
        if text_width(pdf, text) <= width:
            return size
        size -= 0.5
    raise ValueError(f"{text[:40]!r}... is too long for one line even at {smallest} pt")


def baseline(pdf: FPDF, middle: float) -> float:
    """The baseline that puts the current font's capitals centred on the height middle."""
    return middle + pdf.font_size * CAP_HEIGHT / 2


def text_centred(pdf: FPDF, text: str, cx: float, cy: float) -> None:
    """Draw text in the current font centred on (cx, cy), using the cap height."""
    width = text_width(pdf, text)
    draw_text(pdf, cx - width / 2, baseline(pdf, cy), text)


def tagged_circle(pdf: FPDF, tag: str, x: float, y: float, radius: float) -> None:
    """A filled marker circle with a white rim and its tag in bold white type."""
    set_pen(pdf, WHITE, radius * 0.15)
    pdf.set_fill_color(*MARKER_FILL)
    pdf.circle(x, y, radius, style="FD")
    fit_font(pdf, "B", tag, radius * 1.5, radius * 2.9, 2)
    pdf.set_text_color(*WHITE)
    text_centred(pdf, tag, x, y)


def sheet_square(pdf: FPDF, tag: str, x: float, y: float, radius: float) -> None:
    """A white square with a black rim and a sheet number: never mistaken for a site marker."""
    set_pen(pdf, BLACK, radius * 0.15)
    pdf.set_fill_color(*WHITE)
    pdf.rect(x - radius, y - radius, 2 * radius, 2 * radius, style="FD")
    fit_font(pdf, "B", tag, radius * 1.5, radius * 2.9, 2)
    pdf.set_text_color(*BLACK)
    text_centred(pdf, tag, x, y)
