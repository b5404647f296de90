"""Pillar classification on Norwegian posts (hand-labelled), and a mixed-language account read post by post."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.pillars import PillarRules, assign_pillars
from signalboost.model.strategy import Pillar

from .frames import posts

# A neighbourhood cafe's pillars, as its Norwegian team would write them.
PILLARS = [
    Pillar(id="bakst", name="Bakst og kaffe", weight=40, keywords=["bolle", "brød", "kaffe"], hashtags=["#ferskbakt"]),
    Pillar(id="nabolag", name="Nabolaget", weight=30, keywords=["nabo", "marked", "lokal"]),
    Pillar(id="konkurranse", name="Konkurranser", weight=20, keywords=["konkurranse", "gavekort", "salg"]),
    Pillar(id="oppskrift", name="Oppskrifter og tips", weight=10, keywords=["oppskrift", "tips"]),
]
EXAMPLES = [
    ("Nystekte kardemommeboller rett fra ovnen hver morgen", "bakst"),
    ("Ferskt surdeigsbrød og en god kopp til frokost", "bakst"),
    ("Takk til alle i strøket som kom innom på gatefesten", "nabolag"),
    ("Vi heier på butikkene og menneskene i strøket vårt", "nabolag"),
    ("Del innlegget og tagg en venn for å være med i trekningen", "konkurranse"),
    ("Vinnerne av trekningen kåres på fredag, lykke til", "konkurranse"),
    ("Slik lager du perfekt melkeskum hjemme, steg for steg", "oppskrift"),
    ("Tre enkle triks for å lage bedre filterkaffe hjemme", "oppskrift"),
]

# Hand-labelled posts whose keywords appear only inflected or inside compounds (no whole-word hit).
COMPOUND_POSTS = [
    ("Kanelbollene er ute av ovnen nå!", ["bakst"]),
    ("Helgens surdeigsbrød er klart i disken", ["bakst"]),
    ("Bli med på nabofesten i bakgården lørdag", ["nabolag"]),
    ("Vi står på julemarkedet på torget hele helgen", ["nabolag"]),
    ("Vi trekker tre vinnere av gavekortene fredag", ["konkurranse"]),
    ("Oppskriften på høstens eplekake finner du i bioen", ["oppskrift"]),
    ("Julesalget starter i dag, og kaffen er på huset", ["bakst", "konkurranse"]),
]


@pytest.mark.parametrize(("text", "want"), COMPOUND_POSTS)
def test_norwegian_keywords_match_inflected_and_inside_compounds(text: str, want: list[str]) -> None:
    rules = PillarRules.from_pillars(PILLARS)
    assert sorted(rules.match(text, None, ["nb"])) == want
    assert rules.match(text, None, ["en"]) == []  # read as English (whole words only) none of them matches


def test_assign_pillars_detects_the_language_and_splits_compounds() -> None:
    rows = [{"post_id": str(i), "text": text} for i, (text, _) in enumerate(COMPOUND_POSTS)]
    out = assign_pillars(posts(rows), PILLARS, examples=EXAMPLES)
    assert out["method"].to_list() == ["rule"] * len(COMPOUND_POSTS)
    assert [sorted(p) for p in out["pillars"].to_list()] == [want for _, want in COMPOUND_POSTS]


# Hand-labelled posts with no keyword of any pillar: the classifier decides, from the Norwegian examples.
CLASSIFIER_POSTS = [
    ("Kardemommen er knust og deigen hviler, snart er de ute av ovnen", "bakst"),
    ("Tagg to venner under innlegget, så er du med i trekningen", "konkurranse"),
    ("Slik får du til melkeskum uten maskin hjemme", "oppskrift"),
    ("Tusen takk til alle i strøket som kom innom i helga", "nabolag"),
]


def test_the_classifier_reads_norwegian_posts_without_keywords() -> None:
    rows = [{"post_id": str(i), "text": text} for i, (text, _) in enumerate(CLASSIFIER_POSTS)]
    out = assign_pillars(posts(rows), PILLARS, examples=EXAMPLES, threshold=0.0)
    assert out["method"].to_list() == ["classifier"] * len(CLASSIFIER_POSTS)
    assert [p[0] for p in out["pillars"].to_list()] == [want for _, want in CLASSIFIER_POSTS]


def test_a_mixed_language_account_is_read_post_by_post() -> None:
    """The same keyword "salg" (sale): a Norwegian compound matches, an English word with "sale" inside does not."""
    pillars = [*PILLARS, Pillar(id="sale", name="Sale", weight=0, keywords=["sale"])]
    rules = PillarRules.from_pillars(pillars)
    rows = [
        {"post_id": "nb", "text": "Julesalget starter i dag i butikken vår"},
        {"post_id": "en", "text": "Our wholesale prices for cafes are on the website"},
        {"post_id": "en2", "text": "The winter sale starts today in our store"},
    ]
    out = assign_pillars(posts(rows), pillars)
    got = dict(zip(out["post_id"].to_list(), out["pillars"].to_list(), strict=True))
    assert got == {"nb": ["konkurranse"], "en": [], "en2": ["sale"]}
    # read as Norwegian, "wholesale" would split into whole + sale: the language decides
    assert rules.match("Our wholesale prices", None, ["nb"]) == ["sale"]


def test_the_network_language_tag_wins_over_detection() -> None:
    rows = [{"post_id": "1", "text": "Julesalget starter i dag i butikken vår"}]
    frame = posts(rows).with_columns(pl.Series("language", ["en"]))
    out = assign_pillars(frame, PILLARS)
    assert out["method"].to_list() == ["unclassified"]  # tagged English: whole words only, no keyword


def test_the_stored_detection_is_used_and_not_redone() -> None:
    rows = [{"post_id": str(i), "text": "Julesalget starter i dag i butikken vår"} for i in range(3)]
    stored = pl.Series("detected_languages", [["nb"], ["en"], []], dtype=pl.List(pl.String))
    out = assign_pillars(posts(rows).with_columns(stored), PILLARS)
    # stored nb: compounds split; stored en: whole words only; stored [] (unknown): whole words only
    assert out["pillars"].to_list() == [["konkurranse"], [], []]


def test_a_norwegian_hashtag_matches_a_keyword_inside_it() -> None:
    rules = PillarRules.from_pillars(PILLARS)
    assert rules.match("Fredagskos hos oss i dag", ["kanelboller"], ["nb"]) == ["bakst"]  # kanel + bolle + r
    assert rules.match("Fredagskos hos oss i dag", ["kanelboller"], ["en"]) == []
