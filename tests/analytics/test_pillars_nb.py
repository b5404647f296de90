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


# Held-out posts, hand-labelled (one pillar each) before any was classified; none is an example above.
HELD_OUT = [
    ("Skolebollene er tilbake i disken fra i morgen tidlig", "bakst"),
    ("Ukas kaffe: en lys brent kenyaner med smak av solbær", "bakst"),
    ("Rett fra ovnen: grovbrød med solsikkefrø", "bakst"),
    ("Kaffen er ferdig brygget, og kardemommeknutene er fortsatt varme", "bakst"),
    ("Nytt på menyen: gulrotkake med ostekrem", "bakst"),
    ("Vi heier på naboene i bakgården som åpner bruktbutikk lørdag", "nabolag"),
    ("Takk til Løkka vel for et strålende gatefest i helga", "nabolag"),
    ("Loppemarkedet på skolen går av stabelen søndag, vi stiller med stand", "nabolag"),
    ("Lokalavisa var innom og skrev om oss, tusen takk", "nabolag"),
    ("Velkommen til nye naboer i strøket, første kopp er på huset", "nabolag"),
    ("Vinn et gavekort på 500 kroner: tagg en venn i kommentarfeltet", "konkurranse"),
    ("Trekningen er klar: vinneren av forrige ukes konkurranse er Silje", "konkurranse"),
    ("Del innlegget i historien din og bli med i trekningen av en kaffeabonnement", "konkurranse"),
    ("Halloweenkonkurranse: beste kostyme vinner kake til hele klassen", "konkurranse"),
    ("Gavekortene våre er på salg hele desember", "konkurranse"),
    ("Slik brygger du kaffe med presskanne: fire minutter, grov kverning", "oppskrift"),
    ("Tips: oppbevar kaffebønnene mørkt og tett, aldri i kjøleskapet", "oppskrift"),
    ("Oppskriften på kanelsnurrene våre, steg for steg", "oppskrift"),
    ("Tre feil folk gjør med melkeskum hjemme, og hvordan du unngår dem", "oppskrift"),
    ("Slik lager du kald brygg til sommeren: bare kaffe, vann og tålmodighet", "oppskrift"),
]


def _former_pipeline(texts: list[str]) -> list[set[str]]:
    """The assignment before issue 20: whole-word rules, then word 1–2-gram TF-IDF + logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from signalboost.analytics.pillars import _fold

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=_fold, min_df=1),
        LogisticRegression(max_iter=2000, C=10.0, random_state=0),
    ).fit([t for t, _ in EXAMPLES], [p for _, p in EXAMPLES])
    rules = PillarRules.from_pillars(PILLARS)
    return [set(rules.match(t, None, ())) or {str(model.predict([t])[0])} for t in texts]


def test_norwegian_held_out_posts_beat_the_former_pipeline_and_the_majority_class() -> None:
    """A post counts as right when its hand label is among the pillars assigned. Measured on 5 Dec 2026: 17 of 20
    (former pipeline 15, majority class 5). Gained: "Loppemarkedet" (marked) and "Halloweenkonkurranse"
    (konkurranse) by compound rules, "gulrotkake" by the character n-grams; lost: "kaffeabonnement", where the
    compound rule finds "kaffe" (bakst) in a competition post; both miss the two brewing tips without a keyword."""
    texts, want = [t for t, _ in HELD_OUT], [w for _, w in HELD_OUT]
    out = assign_pillars(posts([{"post_id": str(i), "text": t} for i, t in enumerate(texts)]), PILLARS,
                         examples=EXAMPLES, threshold=0.0)  # fmt: skip
    ours = sum(w in set(p) for w, p in zip(want, out["pillars"].to_list(), strict=True))
    former = sum(w in s for w, s in zip(want, _former_pipeline(texts), strict=True))
    majority = max(want.count(c) for c in set(want))
    assert ours >= 16 and ours > former and ours > majority, (ours, former, majority)
