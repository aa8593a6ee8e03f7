"""Text handling for the coach: normalising a reply (case, curly quotes, dashes) without moving any
character, the word tokenizer, and the check that a reply is written in English.

Only English is scored meaningfully; other languages are recognised by counting common words (a
reply with at least 3 words, 2 or more of another language's common words and more of them than
English ones) or by the script (over 30 % Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Korean,
Japanese or Chinese characters), and scored with ``supported=False``.
"""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np

SEP = "\x00"  # between replies when a column is scored in one pass

_SAME_LENGTH = [("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u00b4", "'"), ("`", "'"), ("\u201c", '"'),
                ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " "), (SEP, " ")]
#: numbers (9.14, 1,200), words (don't) and single punctuation marks (they break a phrase)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)?|[^\w\s'\-]")

#: common words per language (the language check counts them); words in English and another list are left out
_STOP = {
    "en": "the and to you your i of is it for that this will be on my we have with me are was not please thank "
          "thanks sorry our us at by from as so if but or has been do what would could there here let know help "
          "they them which when can i'm i'll i've you're it's don't",
    "de": "der die das und ich sie nicht ist zu ein eine mit für wir ihre ihr es den dem auf sich auch bitte danke "
          "uns werden wird haben bei von noch ihnen kann dass leider habe sind",
    "es": "el la los las de que y en un una por para con su sus es lo le se no gracias usted hemos será muy del al "
          "pero como está le mi",
    "fr": "le la les et vous je de est pour pas une un nous votre vos merci du des que qui dans avec sur ce cette "
          "sera avons bien",
    "pt": "o os a as de que e em um uma para com não você seu sua obrigado obrigada por do da dos das muito",
    "it": "il lo la gli le di che e in un una per con non sono grazie ci della del suo sua vostro è",
    "nl": "de het een en van ik je u uw niet dat op te met voor wij we bedankt zijn",
}
LANGUAGES = {"en": "English", "de": "German", "es": "Spanish", "fr": "French", "pt": "Portuguese",
             "it": "Italian", "nl": "Dutch", "unknown": "a language in another script"}


def _stop_bits() -> dict[str, int]:
    words: dict[str, set] = {lang: set(text.split()) for lang, text in _STOP.items()}
    others = set().union(*(w for lang, w in words.items() if lang != "en"))
    words["en"] -= others
    for lang in words:
        if lang != "en":
            words[lang] -= words["en"]
    bits: dict[str, int] = {}
    for i, lang in enumerate(_STOP):
        for word in words[lang]:
            bits[word] = bits.get(word, 0) | (1 << i)
    return bits


_STOP_BITS = _stop_bits()
_EN_STOP = set(_STOP["en"].split()) | {"a", "an", "in", "it", "is", "at", "on"}
_NOT_CONTENT = _EN_STOP | {"i", "my", "me", "you", "your", "we", "our", "us", "it", "i'm", "it's", "they", "them"}


def _normalise(text: str) -> str:
    """Lower case with straight apostrophes, same length as ``text`` (positions stay valid)."""
    for a, b in _SAME_LENGTH:
        if a in text:
            text = text.replace(a, b)
    low = text.lower()
    if len(low) != len(text):  # a few letters grow when lowered (İ): keep them as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


_SEP_BIT = 1 << 30
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff"
                        r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")


def _stop_lookup() -> dict[str, int]:
    """Stop word (also with a trailing . , ! ? : ;) -> language bits; the separator -> its own bit."""
    table = {SEP: _SEP_BIT}
    for word, bit in _STOP_BITS.items():
        for tail in ("", ".", ",", "!", "?", ":", ";"):
            table[word + tail] = bit
    return table


_STOP_LOOKUP = _stop_lookup()


def _languages(lows: list[str]) -> tuple[list[str], np.ndarray]:
    """Language code per reply and whether it is supported (English).

    Another language: at least 3 words, at least 2 of that language's common words and more of them
    than English ones.  Another script ("unknown"): over 30 % of the characters are Greek, Cyrillic,
    Hebrew, Arabic, Indic, Thai, Korean, Japanese or Chinese."""
    n = len(lows)
    tokens = f" {SEP} ".join(lows).split()
    bits = np.fromiter(map(_STOP_LOOKUP.get, tokens, repeat(0, len(tokens))), dtype=np.int64, count=len(tokens))
    is_sep = bits == _SEP_BIT
    row = np.cumsum(is_sep)
    total = np.bincount(row[~is_sep], minlength=n)
    counts = np.stack([np.bincount(row[(bits >> i) & 1 == 1], minlength=n) for i in range(len(_STOP))], axis=1)
    best = counts[:, 1:].argmax(axis=1) + 1
    best_count = counts[np.arange(n), best]
    other = (total >= 3) & (best_count >= 2) & (best_count > counts[:, 0])
    script = np.zeros(n, dtype=bool)
    for i, low in enumerate(lows):
        if not low.isascii():
            script[i] = sum(len(m) for m in _NON_LATIN.findall(low)) > 0.3 * len(low)
    language = np.where(script, "unknown", np.where(other, np.array(list(_STOP))[best], "en"))
    return language.tolist(), ~(other | script)


def detect_language(text: str) -> str:
    """The language of a text by counting common words: ``"en"``, ``"de"``, ``"es"``, ``"fr"``, ``"pt"``,
    ``"it"``, ``"nl"`` or ``"unknown"`` (another script).  Short or unclear texts count as English."""
    return _languages([_normalise(text)])[0][0]
