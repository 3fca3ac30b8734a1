"""Which font files letters are set in (GB/T 9704: body 3号仿宋, title 2号小标宋).

Noto has no FangSong, so the body defaults to FandolFang, a free simplified-Chinese FangSong (GPL with the
font exception, so it may be embedded in documents) that Debian ships in ``texlive-lang-chinese``
(installed by the Makefile). An agency that owns licensed fonts (方正仿宋_GBK, 方正小标宋简体, …) points the
settings ``LETTER_BODY_FONT`` and ``LETTER_TITLE_FONT`` (environment or app config) at the files.

Font files are loaded through ``@font-face`` rules; the letter URL fetcher serves them because they are on
:func:`allowed_files`, and nothing else outside ``app/static/``. Characters a font lacks (rare names, 〔〕)
fall back to Noto Serif CJK SC, glyph by glyph.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Debian's texlive-lang-chinese puts the Fandol fonts here (not in fontconfig's path, hence @font-face).
FANDOL_FANG = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")

FALLBACK_FAMILIES = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


@dataclass(frozen=True)
class LetterFonts:
    """The font files in use; ``None`` means the Noto fallback for that role."""
    body: Path | None
    title: Path | None

    def css(self) -> str:
        """``@font-face`` rules and the font-family declarations that use them."""
        rules = []
        for role, path in (("body", self.body), ("title", self.title)):
            if path:
                rules.append(f'@font-face {{ font-family: "{family(role, path)}"; src: url("{path.as_uri()}"); }}')
        body = (f'"{family("body", self.body)}", ' if self.body else "") + FALLBACK_FAMILIES
        rules.append(f"html {{ font-family: {body}; }}")
        if self.title:
            # 小标宋 is a heavy face in itself: no synthetic bold on top of it.
            rules.append(f'.title {{ font-family: "{family("title", self.title)}", {FALLBACK_FAMILIES}; '
                         "font-weight: normal; }")
        else:
            rules.append(f".title {{ font-family: {FALLBACK_FAMILIES}; font-weight: bold; }}")
        return "\n".join(rules) + "\n"

    def allowed_files(self) -> frozenset[Path]:
        return frozenset(path.resolve() for path in (self.body, self.title) if path)


def family(role: str, path: Path) -> str:
    """The family name a font file gets in letters: its role and file name, so that ``pdffonts`` shows which
    file a letter was set in (e.g. ``Body-FandolFang-Regular``)."""
    stem = "".join(char if char.isascii() and char.isalnum() or char in "-_" else "-" for char in path.stem)
    return f"{role.capitalize()}-{stem}"


class FontSettingError(ValueError):
    """A configured font file that does not exist or is not a font."""


_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


def _checked(setting: str, value) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise FontSettingError(f"{setting}: no such font file: {path}")
    with path.open("rb") as handle:
        if handle.read(4) not in _FONT_MAGIC:
            raise FontSettingError(f"{setting}: not a TrueType/OpenType font file: {path}")
    return path.resolve()


def from_settings(config: dict | None = None) -> LetterFonts:
    """The fonts named by ``LETTER_BODY_FONT`` / ``LETTER_TITLE_FONT`` (config first, then environment).

    Without a body font setting the body is FandolFang when installed; without a title font setting the
    title is Noto Serif CJK SC Bold. A setting naming a missing file is an error, not a silent fallback:
    an agency that paid for its fonts wants to know they are not used.
    """
    config = config or {}
    chosen = {}
    for role, setting in (("body", "LETTER_BODY_FONT"), ("title", "LETTER_TITLE_FONT")):
        value = config.get(setting) or os.environ.get(setting)
        chosen[role] = _checked(setting, value) if value else None
    if chosen["body"] is None:
        if FANDOL_FANG.is_file():
            chosen["body"] = FANDOL_FANG
        else:
            log.warning("letters: no FangSong font (install texlive-lang-chinese or set LETTER_BODY_FONT); "
                        "the body falls back to Noto Serif CJK SC")
    return LetterFonts(**chosen)
