"""Certificates as PDF: landscape A4, Noto Serif (full Vietnamese diacritics), a QR code.

The font comes with the pip package fontpkg-noto-serif (OFL-1.1, the Noto project's
variable font); its regular and bold instances are cut once per machine with fontTools and
kept in the temporary folder, because instancing takes seconds and a download must not.
Certificates are official papers: always in Vietnamese, whatever language the site is read in.
"""

import io
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import segno
from fontpkg_noto_serif import ROOT as FONT_ROOT
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF

from ..timeutil import to_local
from .content import GROUP_NAMES, PRIZE_NAMES, CertificateData

FONT_SOURCE = FONT_ROOT / "files" / "NotoSerif[wdth,wght].ttf"
FAMILY = "NotoSerif"
WEIGHTS = {"": 400, "B": 700}
RED = (165, 28, 28)
INK = (25, 25, 25)
BORDER = (150, 110, 30)

_font_lock = threading.Lock()


def _font_dir() -> Path:
    stamp = f"{FONT_SOURCE.stat().st_size}-{int(FONT_SOURCE.stat().st_mtime)}"
    return Path(tempfile.gettempdir()) / f"quiz-fonts-{stamp}"


def font_files() -> dict[str, Path]:
    """The static regular and bold instances of the variable font, cut once per machine."""
    folder = _font_dir()
    files = {style: folder / f"NotoSerif-{weight}.ttf" for style, weight in WEIGHTS.items()}
    if all(f.exists() for f in files.values()):
        return files
    with _font_lock:
        folder.mkdir(parents=True, exist_ok=True)
        for style, path in files.items():
            if path.exists():
                continue
            font = instancer.instantiateVariableFont(
                TTFont(FONT_SOURCE), {"wght": WEIGHTS[style], "wdth": 100}
            )
            # Written aside and renamed: another process never reads half a file.
            fd, partial = tempfile.mkstemp(dir=folder, suffix=".part")
            with os.fdopen(fd, "wb") as out:
                font.save(out)
            os.replace(partial, path)
    return files


def _date_line(value: datetime) -> str:
    local = to_local(value)
    return f"Ngày {local.day:02d} tháng {local.month:02d} năm {local.year}"


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


class CertificatePDF(FPDF):
    def __init__(self):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)
        for style, path in font_files().items():
            self.add_font(FAMILY, style, path)
        self.set_creator("Hội thi trực tuyến")
        self.set_lang("vi")

    def _centered(self, text: str, size: float, style: str = "", color=INK, height=None):
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        self.set_x(self.l_margin)
        self.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def certificate(self, c: CertificateData) -> None:
        self.add_page()
        w, h = self.w, self.h
        # A double frame: a thick outer line and a thin inner one.
        self.set_draw_color(*BORDER)
        self.set_line_width(2.2)
        self.rect(8, 8, w - 16, h - 16)
        self.set_line_width(0.5)
        self.rect(12, 12, w - 24, h - 24)

        self.set_y(18)
        self._centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "B")
        self._centered("Độc lập - Tự do - Hạnh phúc", 12, "B")
        self.set_draw_color(*INK)
        self.set_line_width(0.3)
        self.line(w / 2 - 28, self.get_y() + 0.5, w / 2 + 28, self.get_y() + 0.5)
        self.ln(8)
        self._centered("BAN TỔ CHỨC", 13, "B")
        self._centered(c.contest_title.upper(), 12, "B", height=6)
        self.ln(7)
        self._centered("GIẤY CHỨNG NHẬN", 34, "B", RED, height=15)
        self.ln(7)
        self._centered(c.full_name, 26, "B", height=13)
        self._centered(f"Đơn vị: {c.unit_name}", 14, height=7)
        self.ln(6)
        if c.prize:
            self._centered(f"Đã đạt {PRIZE_NAMES.get(c.prize, c.prize)}", 18, "B", RED, height=9)
            self._centered(c.round_title, 14, height=7)
        else:
            self._centered(f"Đã tham gia {c.round_title}", 15, height=8)
        self.ln(2)
        rank = f"{c.rank:,}".replace(",", ".")
        self._centered(
            f"Kết quả: {c.correct_count}/{c.question_count} câu trả lời đúng; xếp hạng {rank}"
            f" (đối tượng {GROUP_NAMES[c.group].lower()}).",
            12,
            height=6,
        )

        # The verification corner: the QR code opens the public verification page.
        size = 32
        top = h - 16 - size - 6
        self.image(_qr_png(c.verify_url), x=20, y=top, w=size, h=size)
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*INK)
        self.set_xy(20 + size + 3, top + 8)
        self.multi_cell(
            125, 4.4, f"Mã xác minh: {c.code}\nKiểm tra tại:\n{c.verify_url}", align="L"
        )

        # The date and the signature block, on the right.
        self.set_font(FAMILY, "", 12)
        block_x, block_w = w - 20 - 100, 100
        self.set_xy(block_x, top - 4)
        self.cell(block_w, 6, _date_line(c.published_at), align="C")
        self.set_font(FAMILY, "B", 12)
        self.set_xy(block_x, top + 3)
        self.multi_cell(
            block_w, 6, c.signer_title or "TM. BAN TỔ CHỨC", align="C", new_x="LEFT", new_y="NEXT"
        )
        if c.signer_name:
            self.set_xy(block_x, top + 30)
            self.cell(block_w, 6, c.signer_name, align="C")


def render(certificates: Iterable[CertificateData]) -> bytes:
    """One PDF with a page per certificate."""
    pdf = CertificatePDF()
    for c in certificates:
        pdf.certificate(c)
    return bytes(pdf.output())


def chunks(items: Iterable[CertificateData], size: int) -> Iterator[list[CertificateData]]:
    batch: list[CertificateData] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
