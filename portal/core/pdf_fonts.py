"""Fonts for the PDFs we make with fpdf2 (statements, documents): names such as "Łukasz Wójcik" or "Nguyễn"
print as they are written.

A PDF core font (Helvetica) shows Windows-1252 only, but costs nothing to embed; an embedded TrueType font
shows any character it has, but fpdf2 parses and subsets it for every document (tens of milliseconds, where a
whole statement takes about three). So a document whose texts all fit Windows-1252 keeps Helvetica, and a
document with any other character is set entirely in DejaVu Sans (regular and bold), embedded as a subset.

DejaVu Sans comes from matplotlib's package data (a pip dependency: no system font, no hand step). It is
reduced once per machine to the Latin script with its extensions (Polish, Czech, Turkish, Hungarian, Vietnamese
and so on), punctuation and currency, which makes the per-document work several times smaller; the reduced
files are kept under ``var/fonts``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

from portal.core.config import get_settings

CORE = "helvetica"
FAMILY = "DejaVuSans"
CORE_ENCODING = "windows-1252"
SOURCES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# What the reduced fonts keep: Basic Latin, Latin-1, Latin Extended-A/B, spacing modifiers and combining marks,
# Latin Extended Additional (Vietnamese), punctuation, currency, letterlike symbols. Every glyph kept costs
# time in every document that embeds the font (fpdf2 reads all of them), so other scripts are left out.
RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x02B0, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0xFFFD, 0xFFFD),
)
_LOCK = threading.Lock()


def fits_core(texts: Iterable[str]) -> bool:
    """Whether every text can be shown with a core font (Windows-1252)."""
    try:
        for value in texts:
            value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def source_files() -> dict[str, Path]:
    """DejaVu Sans regular and bold as installed with matplotlib (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (it ships DejaVu Sans) is not installed: run `make run` or `pip install -e .`")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return {style: folder / name for style, name in SOURCES.items()}


@lru_cache(maxsize=4)
def _reduced(var_dir: Path) -> dict[str, str]:
    """The reduced fonts' paths, made once per machine (named by a digest of source and ranges)."""
    from fontTools import subset as ftsubset
    from fontTools.ttLib import TTFont

    out: dict[str, str] = {}
    folder = var_dir / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    unicodes = [c for low, high in RANGES for c in range(low, high + 1)]
    for style, source in source_files().items():
        data = source.read_bytes()
        digest = hashlib.sha256(data + repr(RANGES).encode()).hexdigest()[:16]
        target = folder / f"{source.stem}-{digest}.ttf"
        if not target.exists():
            options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=False)
            options.hinting = False  # a PDF viewer does not need TrueType hinting; it is most of the file
            options.layout_features = []  # fpdf2 does not shape text here: no GSUB/GPOS work per document
            options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
            font = TTFont(source)
            subsetter = ftsubset.Subsetter(options)
            subsetter.populate(unicodes=unicodes)
            subsetter.subset(font)
            partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            font.save(partial)
            os.replace(partial, target)  # atomic: another process reading it sees the whole file
        out[style] = str(target)
    return out


def font_paths() -> dict[str, str]:
    """The embedded font's files per style ('' and 'B')."""
    with _LOCK:
        return _reduced(get_settings().var_dir)


def use_fonts(pdf: FPDF, texts: Iterable[str]) -> str:
    """Set ``pdf`` up for ``texts`` and return the font family to use for all of its text: Helvetica when
    every text fits Windows-1252, else the embedded DejaVu Sans (regular and bold)."""
    if fits_core(texts):
        pdf.core_fonts_encoding = CORE_ENCODING
        return CORE
    for style, path in font_paths().items():
        pdf.add_font(FAMILY, style, path)
    for font in pdf.fonts.values():  # our subset's glyph boxes are right: no recomputing them on every save
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.recalcBBoxes = False
    return FAMILY
