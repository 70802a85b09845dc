"""Bytes to text for articles saved without a declared encoding.

UTF-8 first (with or without BOM). Otherwise cp1252, the usual encoding of Western pages saved
on Windows, is kept when it reads as text; it decodes almost any byte string, so an Arabic
(cp1256), Cyrillic (cp1251) or Greek (cp1253) file would come out as "ÊæÓØÊ ÞØÑ" garbage, and for
those charset-normalizer's best guess is taken. Why not charset-normalizer alone: on a short
Western text it guesses a Baltic or Farsi code page as readily as cp1252 (measured: a latin-1
"Zürich" sentence came back as cp775), while its mess ratio tells garbage from text reliably.
"""

from __future__ import annotations

# Above this mess ratio (charset-normalizer's measure of implausible character sequences) a
# cp1252 reading is taken for garbage: Western text measures 0.0, Arabic read as cp1252 0.9-1.8.
MAX_MESS = 0.2
_SAMPLE = 20_000  # characters measured from the start, the middle and the end of a long text


def _reads_well(text: str) -> bool:
    from charset_normalizer.md import mess_ratio

    if len(text) > 3 * _SAMPLE:
        middle = len(text) // 2
        samples = [text[:_SAMPLE], text[middle:middle + _SAMPLE], text[-_SAMPLE:]]
    else:
        samples = [text]
    return all(mess_ratio(sample, 1.0) <= MAX_MESS for sample in samples)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """(text, None), or (None, why it is not text): a NUL byte, or no encoding that reads."""
    if b"\x00" in data[:4096]:
        return None, "binary file, not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _reads_well(western):
        return western, None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), None
    return None, "not text in any encoding recognised (binary file?)"
