"""Tokens, stop words per language (from the packages' lists) and compound matching, checked by hand."""

from __future__ import annotations

import pytest

from signalboost.text.stopwords import normalise_language, stop_words
from signalboost.text.tokens import compound_match, compounding, content_words, words


def test_words_keep_nordic_letters_and_drop_links_mentions_digits_emoji() -> None:
    assert words("Kanelbollene er ute! @kafe https://x.no/a #Fjelltur 2024 ☕ Ærlig talt, søt & god") == [
        "kanelbollene",
        "er",
        "ute",
        "fjelltur",
        "ærlig",
        "talt",
        "søt",
        "god",
    ]


@pytest.mark.parametrize(
    ("code", "want"),
    [
        ("nb-NO", "nb"),
        ("no", "nb"),
        ("NOR", "nb"),
        ("nn", "nn"),
        ("en_US", "en"),
        ("und", None),
        ("", None),
        (None, None),
    ],
)
def test_language_codes_are_normalised(code: str | None, want: str | None) -> None:
    assert normalise_language(code) == want


def test_norwegian_stop_words_come_from_snowball_plus_light_verbs() -> None:
    nb = stop_words("nb")
    assert {"og", "ikke", "ikkje", "hvordan", "korleis", "være"} <= nb  # Snowball's list (bokmål and nynorsk)
    assert {"må", "får", "gjør"} <= nb  # the documented additions
    assert not {"kaffe", "arbeid", "bolle", "fjell"} & nb  # content words stay
    assert stop_words("nn") == nb and stop_words("no") == nb
    assert "the" in stop_words("en") and "og" not in stop_words("en")
    assert "und" in stop_words("de") and stop_words("xx") == frozenset()


def test_content_words_drop_the_stop_words_of_each_language_of_the_text() -> None:
    assert content_words("Man må trene hver dag i fjellet", ["nb"]) == ["trene", "dag", "fjellet"]
    assert content_words("Proud family man who loves running", ["en"]) == ["proud", "family", "man", "loves", "running"]
    mixed = "Vi elsker kaffe and we love our neighbours"
    assert content_words(mixed, ["nb", "en"]) == ["elsker", "kaffe", "love", "neighbours"]
    assert content_words(mixed, []) == words(mixed)  # unknown language: nothing dropped


VOCAB = frozenset({"kaffe", "bolle", "tur", "fjell", "ull", "genser", "salg", "marked", "nabo"})


@pytest.mark.parametrize(
    ("token", "keyword", "want"),
    [
        ("fjelltur", "tur", True),  # other element (5 letters) + keyword
        ("fjellturen", "tur", True),  # ... + inflection
        ("dagstur", "tur", True),  # linking s
        ("natur", "tur", False),  # "na" is no word
        ("turist", "tur", False),  # "ist" is too short to be an element
        ("returer", "tur", False),
        ("kanelbollene", "bolle", True),
        ("bollene", "bolle", True),  # inflected only
        ("kaffepause", "kaffe", True),  # keyword first
        ("kaffen", "kaffe", True),
        ("ullgenser", "genser", True),  # "ull" is short but a known word
        ("julemarkedet", "marked", True),
        ("nabofesten", "nabo", True),
        ("julesalget", "salg", True),
        ("sjokoladekaka", "kake", False),  # a vowel change (kake → kaka) is not matched: documented limit
        ("ab", "ab", True),
        ("abba", "ab", False),  # keywords under three letters only match whole words
    ],
)
def test_compound_match(token: str, keyword: str, want: bool) -> None:
    assert compound_match(token, keyword, VOCAB) is want


def test_ullgenser_needs_ull_in_the_vocabulary() -> None:
    assert compound_match("ullgenser", "genser", VOCAB) is True
    assert compound_match("ullgenser", "genser", frozenset()) is False


def test_compounding_languages() -> None:
    assert compounding(["nb"]) and compounding(["en", "nn"]) and compounding(["de"])
    assert not compounding(["en"]) and not compounding([]) and not compounding([None])
