"""Sticker sheets: many small codes on plain A4 pages, cut by hand along dashed guides.

No bleed and no crop marks: the sheets go through office printers onto A4 label paper, so
the page is exactly A4 and the grid keeps an 8 mm margin the printer can reach. A 50 mm tile
(quiet zone included) holds a v3 symbol of 39 mm, 1.35 mm modules: about 0.4 m to scan,
for doors, boxes and leaflets rather than outdoor plaques.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from fpdf import FPDF

from .matrix import QrSymbol, encode
from .pdfpage import (Block, Fonts, PrintError, TextStyle, draw_block, draw_qr, draw_watermark,
                      finish, fit, new_document)

SHEET_MM = (210.0, 297.0)  # A4
SHEET_MARGIN_MM = 8.0
CELL_PADDING_MM = 2.0
LABEL_GAP_MM = 1.0
LABEL = TextStyle(9, 6.5, max_lines=2)
CODE = TextStyle(11, 8, bold=True)
GUIDE_GREY = 150
GUIDE_WIDTH_MM = 0.2
GUIDE_DASH_MM = 2.0


@dataclass(frozen=True)
class Sticker:
    """One code on a sheet: what it encodes, its plaque code and a short label (site name)."""

    payload: str
    code: str
    label: str


@dataclass(frozen=True)
class _Grid:
    columns: int
    rows: int
    cell_w: float
    cell_h: float

    def origin(self, index: int) -> tuple[float, float]:
        """Top-left corner of cell `index` on its page, row by row."""
        row, col = divmod(index % (self.columns * self.rows), self.columns)
        return SHEET_MARGIN_MM + col * self.cell_w, SHEET_MARGIN_MM + row * self.cell_h


@dataclass(frozen=True)
class _Cell:
    symbol: QrSymbol
    label: Block | None
    code: Block

    def height(self, tile: float) -> float:
        label = self.label.height + LABEL_GAP_MM if self.label else 0.0
        return tile + LABEL_GAP_MM + label + self.code.height


def sticker_sheet_pdf(items: Sequence[Sticker], *, fonts: Fonts, draft: bool, epoch: int,
                      code_mm: float = 50, columns: int = 3, rows: int = 4) -> bytes:
    """A4 pages of `columns` x `rows` codes of `code_mm` (quiet zone included), as many
    pages as the items need; raises PrintError naming the label or value that cannot fit.
    """
    if not items:
        raise PrintError("items", "", "a sticker sheet needs at least one sticker")
    grid = _grid(code_mm, columns, rows)
    pdf = new_document(fonts, epoch)
    width = grid.cell_w - 2 * CELL_PADDING_MM
    room = grid.cell_h - 2 * CELL_PADDING_MM
    cells = [_cell(pdf, item, width, room, code_mm) for item in items]
    tallest = max(cell.height(code_mm) for cell in cells)
    for index, cell in enumerate(cells):
        if index % (columns * rows) == 0:
            _new_page(pdf, grid, draft)
        x, y = grid.origin(index)
        _draw_cell(pdf, cell, x + grid.cell_w / 2, y + (grid.cell_h - tallest) / 2, code_mm)
    return finish(pdf)


def _grid(code_mm: float, columns: int, rows: int) -> _Grid:
    """Cells share the printable area equally; each must hold the tile and its padding."""
    if columns < 1 or rows < 1:
        raise PrintError("columns" if columns < 1 else "rows", str(min(columns, rows)),
                         "must be at least 1")
    grid = _Grid(columns, rows, (SHEET_MM[0] - 2 * SHEET_MARGIN_MM) / columns,
                 (SHEET_MM[1] - 2 * SHEET_MARGIN_MM) / rows)
    if code_mm <= 0 or code_mm + 2 * CELL_PADDING_MM > min(grid.cell_w, grid.cell_h):
        raise PrintError("code_mm", f"{code_mm:g}",
                         f"{columns} x {rows} cells of {grid.cell_w:.0f} x {grid.cell_h:.0f} mm "
                         "cannot hold it: use fewer columns or rows, or a smaller code")
    return grid


def _cell(pdf: FPDF, item: Sticker, width: float, room: float, tile: float) -> _Cell:
    """Encode and fit one sticker; a label too tall for the cell is shrunk to fewer lines."""
    try:
        symbol = encode(item.payload)
    except ValueError as error:
        raise PrintError("payload", item.payload, str(error)) from None
    if not item.code.strip():
        raise PrintError("code", item.code, "is empty")
    code = fit(pdf, item.code, field="code", style=CODE, width=width)
    if not item.label.strip():
        return _Cell(symbol, None, code)
    cell = _Cell(symbol, fit(pdf, item.label, field="label", style=LABEL, width=width), code)
    if cell.height(tile) > room:
        label = fit(pdf, item.label, field="label", style=LABEL, width=width, compact=True)
        cell = _Cell(symbol, label, code)
    if cell.height(tile) > room:
        raise PrintError("label", item.label, f"the code and its label need "
                         f"{cell.height(tile):.0f} mm, a cell has {room:.0f} mm: use fewer "
                         "rows, a smaller code or a shorter label")
    return cell


def _new_page(pdf: FPDF, grid: _Grid, draft: bool) -> None:
    pdf.add_page(format=SHEET_MM)
    if draft:
        draw_watermark(pdf, 0, 0, *SHEET_MM)
    _draw_guides(pdf, grid)


def _draw_guides(pdf: FPDF, grid: _Grid) -> None:
    """Dashed grey lines on every cell edge: where to cut."""
    pdf.set_draw_color(GUIDE_GREY)
    pdf.set_line_width(GUIDE_WIDTH_MM)
    pdf.set_dash_pattern(dash=GUIDE_DASH_MM, gap=GUIDE_DASH_MM)
    left, top = SHEET_MARGIN_MM, SHEET_MARGIN_MM
    right, bottom = left + grid.columns * grid.cell_w, top + grid.rows * grid.cell_h
    for col in range(grid.columns + 1):
        pdf.line(left + col * grid.cell_w, top, left + col * grid.cell_w, bottom)
    for row in range(grid.rows + 1):
        pdf.line(left, top + row * grid.cell_h, right, top + row * grid.cell_h)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)


def _draw_cell(pdf: FPDF, cell: _Cell, centre: float, top: float, tile: float) -> None:
    """Tile, label and code under each other from `top`; every tile of a sheet starts at the
    same height in its cell (the tallest group is centred), so rows line up.
    """
    draw_qr(pdf, cell.symbol, centre - tile / 2, top, tile)
    y = top + tile + LABEL_GAP_MM
    if cell.label:
        y = draw_block(pdf, cell.label, centre, y) + LABEL_GAP_MM
    draw_block(pdf, cell.code, centre, y)
