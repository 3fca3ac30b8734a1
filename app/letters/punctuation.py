"""Punctuation where typed text meets a letter's own sentence (GB/T 15834-2011 标点符号用法).

Letters quote what applicants and officers typed inside their own sentences: 申请获取“<description>”。,
因<extension_reason>，本机关…. Typed text often ends with its own full stop, which then doubles with the
letter's ("…施工合同。”。", "…答复。，本机关"). When a quotation or phrase is a part of the letter's sentence
its closing pause mark is dropped and the letter's sentence supplies the punctuation (GB/T 15834 4.1.3.1,
4.6.3.3); a question or exclamation mark stays, as it carries the quoted tone.

:func:`in_sentence` is the one place that does it; templates apply it as the ``in_sentence`` filter to every
typed value printed inside a sentence.
"""
from __future__ import annotations

from markupsafe import Markup

# Pause and end marks a phrase loses when it becomes part of a larger sentence (full and half width).
_DROPPED_AT_END = "。．.，,、；;：:"
# Closing brackets and quotes may follow the dropped mark ("（见附件。）"): looked through, kept.
_CLOSERS = "”’）)》」』】"


def in_sentence(text):
    """``text`` without the pause/end marks (and spaces) at its end, ready to sit inside a sentence.

    "施工合同。" → "施工合同"; "（见附件。）" → "（见附件）"; "是否公开？" stays; None stays None. Markup stays
    Markup (escaping is the caller's, through Jinja autoescape).
    """
    if text is None:
        return None
    value = str(text).rstrip()
    closers = ""
    while value and value[-1] in _CLOSERS:
        closers = value[-1] + closers
        value = value[:-1].rstrip()
    value = value.rstrip(_DROPPED_AT_END + " \u3000").rstrip()
    result = value + closers
    return Markup(result) if isinstance(text, Markup) else result
