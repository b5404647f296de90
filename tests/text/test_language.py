"""Language detection on English, Norwegian (bokmål, nynorsk) and mixed posts; short texts stay unknown."""

from __future__ import annotations

import pytest

from signalboost.text.language import detect_language, detect_many, detect_mixed

# Hand-labelled posts, written for these tests (a cafe's and a clothing store's everyday posts).
LABELLED = [
    ("nb", "Ny uke, nye muligheter! Kom innom kafeen for en kopp kaffe og en skolebolle."),
    ("nb", "Vi har fått inn høstens nye ullgensere – perfekte til fjellturen."),
    ("nb", "Takk til alle som kom på lanseringsfesten i går ❤️"),
    ("nb", "Hvordan lager du den perfekte kanelbollen? Her er oppskriften vår."),
    ("nb", "Konkurranse! Del et bilde med #kaffepause og vinn et gavekort."),
    ("nb", "Nå er det salg i nettbutikken"),
    ("nn", "Eg har ikkje sett noko slikt før, kva meiner de om dette?"),
    ("en", "New week, new opportunities! Drop by for a cup of coffee."),
    ("en", "Thanks to everyone who came to the launch party yesterday ❤️"),
    ("en", "How do you make the perfect cinnamon bun? Here is our recipe."),
    ("en", "Sale now on in our online store"),
    ("en", "Win a gift card: share a photo with #coffeebreak @ourcafe https://example.com/win"),
]


@pytest.mark.parametrize(("want", "text"), LABELLED)
def test_each_hand_labelled_post_gets_its_language(want: str, text: str) -> None:
    found = detect_language(text)
    assert found.language == want
    assert found.confidence is not None and 0.4 <= found.confidence <= 1
    assert found.languages == (want,) and not found.mixed


def test_danish_and_swedish_are_not_taken_for_norwegian() -> None:
    assert (
        detect_language("Tak til alle der kom til lanceringsfesten i går. Vi glæder os til at se jer.").language == "da"
    )
    assert detect_language("Tack till alla som kom på lanseringsfesten igår, vi ses snart igen!").language == "sv"


@pytest.mark.parametrize("text", [None, "", "😍🔥🔥", "ok", "@anna https://example.com #2024", "12 345"])
def test_too_little_text_is_unknown_not_guessed(text: str | None) -> None:
    found = detect_mixed(text)
    assert found.language is None and found.confidence is None and found.languages == ()


def test_a_post_mixing_norwegian_and_english_lists_both_languages() -> None:
    text = "Takk for sist, alle sammen! Thanks for coming, it was great to see you all. Vi sees neste uke igjen."
    found = detect_mixed(text)
    assert found.mixed and set(found.languages) == {"en", "nb"}
    # 10 English words (one sentence) against 5 + 5 Norwegian (two): a tie in words, so the whole text's verdict
    # (English, the longest run) leads
    assert found.language == "en" == found.languages[0]
    longer = detect_mixed(text + " Husk å bestille bord til fredag kveld.")  # + 6 Norwegian words: 16 vs 10
    assert longer.language == "nb" and longer.languages == ("nb", "en")


def test_a_one_language_post_with_a_foreign_word_is_not_mixed() -> None:
    found = detect_mixed("Vi har endelig åpnet pop-up butikken vår i sentrum. Velkommen innom i helgen!")
    assert found.language == "nb" and not found.mixed


def test_a_mixed_language_account_gets_each_post_in_its_own_language() -> None:
    account = [
        "Julesalget starter i dag i butikken på Grünerløkka!",
        "Our Christmas sale starts today in the store.",
        "Eg gler meg til å sjå dykk på marknaden i morgon.",
    ]
    assert [d.language for d in detect_many(account)] == ["nb", "en", "nn"]


def test_the_candidate_languages_can_be_restricted() -> None:
    text = "Tak til alle der kom til lanceringsfesten i går. Vi glæder os til at se jer."
    assert detect_language(text, languages=("en", "nb")).language == "nb"  # Danish is not a candidate
    assert detect_language("hello there friends", languages=("en", "nb"), min_confidence=1.01).language is None
