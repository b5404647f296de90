"""Language-aware words, class-based TF-IDF (hand-computed) and text similarity on bios in two languages."""

from __future__ import annotations

import math

import polars as pl
import pytest

from signalboost.audience.segment import segment_audience
from signalboost.audience.text import class_tfidf, content_words, guess_language, text_edges, words


def test_words_drop_links_mentions_digits() -> None:
    assert words("Hi @anna! See https://x.com/a #Løping 2024 ☕ ok") == ["hi", "see", "løping", "ok"]
    assert words(None) == [] and words("") == []


def test_language_guess_and_stop_words() -> None:
    assert guess_language(words("jeg er ikke hjemme nå")) == "nb"
    assert guess_language(words("I am not at home with the dog")) == "en"
    assert guess_language(words("sourdough bread")) == "en"  # a tie: no æ, ø or å
    assert guess_language(words("brød og bakst")) == "nb"
    assert guess_language([]) is None
    # "man" is an English noun but a Norwegian pronoun: kept in English, dropped in Norwegian
    assert content_words("Proud family man who loves running") == ["proud", "family", "man", "loves", "running"]
    assert content_words("Man må trene hver dag i fjellet") == ["trene", "dag", "fjellet"]
    # a language given by the network wins over the guess
    assert "man" not in content_words("man running", language="nb")


def test_class_tfidf_hand_computed() -> None:
    docs = ["apple apple banana", "apple cherry", "banana durian", "durian durian"]
    kw = class_tfidf(docs, [0, 0, 1, 1], min_docs=1)
    # class 0: apple 3, banana 1, cherry 1 (5 words); class 1: banana 1, durian 3 (4); A = 4.5
    # f: apple 3, banana 2, cherry 1, durian 3;  W = tf/total · ln(1 + A/f)
    assert [w for w, _ in kw[0]] == ["apple", "cherry", "banana"]
    assert kw[0][0][1] == pytest.approx(0.6 * math.log(1 + 4.5 / 3))
    assert kw[0][1][1] == pytest.approx(0.2 * math.log(1 + 4.5 / 1))
    assert kw[0][2][1] == pytest.approx(0.2 * math.log(1 + 4.5 / 2))
    assert kw[1] == [
        ("durian", pytest.approx(0.75 * math.log(2.5))),
        ("banana", pytest.approx(0.25 * math.log(1 + 4.5 / 2))),
    ]


def test_class_tfidf_needs_two_accounts_and_skips_other() -> None:
    docs = ["cats cats cats", "dogs", "dogs", "noise"]
    kw = class_tfidf(docs, [0, 0, 0, -1], min_docs=2)
    assert [w for w, _ in kw[0]] == ["dogs"]  # "cats" is one account's word
    assert -1 not in kw
    assert class_tfidf(["", None], [0, 0]) == {0: []}
    with pytest.raises(ValueError, match="differ"):
        class_tfidf(["a"], [0, 1])


BIOS_NO = [
    "Løper og trener til maraton, elsker fjellet",
    "Jeg løper i fjellet hver helg og trener intervaller",
    "Trener, løper og fjellet er mitt hjem",
    "Maraton og løping, trener for fjellet",
    "Fjellet kaller, jeg løper og trener",
    "Løping er livet, trener maraton i fjellet",
]
BIOS_EN = [
    "Home baker: sourdough bread and cakes",
    "I bake sourdough bread every weekend",
    "Cakes, bread and sourdough starters",
    "Baker of sourdough and cakes at home",
    "Sourdough bread baker and cake lover",
    "Bread, cakes, sourdough: home baking",
]


def test_bios_in_two_languages_form_two_segments_with_keywords() -> None:
    ids = [f"no{i}" for i in range(6)] + [f"en{i}" for i in range(6)]
    texts = pl.DataFrame({"account_id": ids, "text": BIOS_NO + BIOS_EN})
    seg = segment_audience(ids, texts=texts, min_size=3)
    labels = seg.table["segment"].to_list()
    assert len(set(labels[:6])) == 1 and len(set(labels[6:])) == 1 and labels[0] != labels[6]
    no_words = {w for w, _ in seg.keywords[labels[0]]}
    en_words = {w for w, _ in seg.keywords[labels[6]]}
    assert {"fjellet", "trener"} <= no_words and not no_words & {"og", "jeg", "er", "i"}
    assert {"sourdough", "bread"} <= en_words and not en_words & {"and", "of", "at", "i"}


def test_text_edges_link_similar_texts_only() -> None:
    s, d, w = text_edges(["red apple pie", "apple pie recipe", "fast cars racing", "racing cars"], k=1)
    pairs = set(zip(s.tolist(), d.tolist(), strict=True))
    assert pairs == {(0, 1), (1, 0), (2, 3), (3, 2)}
    assert (w > 0).all() and (w <= 1.0 + 1e-6).all()
    assert text_edges(["only one"])[0].size == 0


def test_bios_without_a_language_tag_drop_the_stop_words_of_their_detected_language() -> None:
    # detected nb: "jeg", "å", "på", "i", "med", "min" are Snowball's Norwegian stop words ("gå" is not)
    assert content_words("Jeg elsker å gå på tur i fjellet med hunden min") == [
        "elsker",
        "gå",
        "tur",
        "fjellet",
        "hunden",
    ]
    # detected it: "la", "e", "il", "della", "mia" are Italian stop words (stop-words package)
    assert content_words("Amo la cucina italiana e il vino della mia terra") == [
        "amo",
        "cucina",
        "italiana",
        "vino",
        "terra",
    ]
    # a bio in two languages drops the stop words of both ("til", "to", "og", "i"; "who", "the")
    assert content_words("Mamma til to og glad i strikking. Knitting mum who loves the mountains") == [
        "mamma",
        "glad",
        "strikking",
        "knitting",
        "mum",
        "loves",
        "mountains",
    ]


def test_keywords_of_bilingual_bios_carry_no_stop_words_of_either_language() -> None:
    docs = [
        "Jeg elsker strikking og garn, og jeg strikker hver kveld",
        "Strikking er livet mitt, garn og pinner i sofaen",
        "I love knitting and yarn, I knit every evening",
        "Knitting is my life: yarn and needles on the sofa",
    ]
    kw = class_tfidf(docs, [0, 0, 1, 1], min_docs=2)
    assert [w for w, _ in kw[0]] == ["garn", "strikking"]  # used by both Norwegian bios; "og", "jeg" dropped
    assert [w for w, _ in kw[1]] == ["knitting", "yarn"]  # "and", "is", "my" dropped


def test_an_account_with_a_norwegian_bio_and_english_posts_drops_both_languages_stop_words() -> None:
    from signalboost.audience.segment import _texts

    texts = pl.DataFrame(
        {
            "account_id": ["a", "a", "a", "b"],
            "text": ["Jeg elsker strikking og garn", "I knit every evening", "Yarn and needles", "Knitting is life"],
            "language": [None, "en", "en", "en"],  # a bio (no tag) and two tagged posts; b: one tagged post
        }
    )
    docs, langs = _texts(pl.Series(["a", "b", "c"]), texts)
    assert langs == ["auto,en", "en", None]
    # a: English (tagged) + Norwegian (detected in the bio): "jeg", "og" and "and", "every" all dropped
    assert content_words(docs[0], langs[0]) == ["elsker", "strikking", "garn", "knit", "evening", "yarn", "needles"]
    assert content_words(docs[1], langs[1]) == ["knitting", "life"]
