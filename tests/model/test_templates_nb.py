"""The Norwegian (bokmål) templates: one per English template, valid, commented in Norwegian, written in
Norwegian (checked with the offline language detector), faithful to the method, and `init --lang nb`."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from signalboost.cli.main import main
from signalboost.errors import UsageError
from signalboost.model.io import StrategyDocument
from signalboost.model.strategy import Strategy
from signalboost.model.templates import (
    LANGUAGES,
    TEMPLATES,
    available,
    check_template_language,
    render_template,
    template_text,
)
from signalboost.model.validate import validate_text
from signalboost.model.vocab import NETWORKS
from signalboost.text.language import detect_mixed

TODAY = dt.date(2026, 1, 15)
HEADINGS = (
    "1. MÅLGRUPPE",
    "2. PERSONLIGHET",
    "3. ØKOSYSTEM",
    "4. FREKVENS OG PUBLISERINGSPLAN",
    "5. KOMMUNIKASJONSPILARER",
    "6. TAKTIKKER",
    "7. EKSEMPLER",
    "# KPI-er",
)


def _strategy(name: str, lang: str = "nb") -> Strategy:
    report = validate_text(template_text(name, lang), source=f"{lang}/{name}", today=TODAY)
    assert report.problems == [], report.lines()
    assert report.strategy is not None
    return report.strategy


def test_every_template_is_written_in_every_language() -> None:
    assert LANGUAGES == ("en", "nb")
    assert available("nb") == list(TEMPLATES) == available("en")


@pytest.mark.parametrize("name", TEMPLATES)
def test_norwegian_template_validates_clean_and_renders_clean(name: str) -> None:
    _strategy(name)
    day = dt.date(2031, 7, 4)
    report = validate_text(render_template(name, today=day, lang="nb"), today=day)
    assert report.problems == [] and report.strategy is not None
    assert {p.last_reviewed for p in report.strategy.audience.personas} == {day}


@pytest.mark.parametrize("name", TEMPLATES)
def test_norwegian_template_explains_each_section_in_norwegian(name: str) -> None:
    text = template_text(name, "nb")
    for heading in HEADINGS:
        assert heading in text, heading
    for english in ("1. AUDIENCE", "This file IS", "Who the strategy is for"):
        assert english not in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_norwegian_template_has_the_structure_of_the_english_one(name: str) -> None:
    nb, en = _strategy(name), _strategy(name, "en")
    assert set(nb.network_ids()) == set(en.network_ids()) <= set(NETWORKS)
    assert [p.weight for p in nb.pillars] == [p.weight for p in en.pillars]
    assert len(nb.audience.personas) == len(en.audience.personas)
    assert [(t.goal, t.rrule) for t in nb.tactics] == [(t.goal, t.rrule) for t in en.tactics]
    assert len(nb.examples) == len(en.examples) and len(nb.kpis) == len(en.kpis)
    assert nb.brand.timezone == "Europe/Oslo"


def _free_texts(s: Strategy) -> list[str]:
    texts = [e.text for e in s.examples] + [p.summary for p in s.audience.personas]
    texts += [p.description for p in s.pillars] + [t.mechanics for t in s.tactics] + [e.role for e in s.ecosystem]
    return [t for t in texts if t and not t.startswith("<")]


@pytest.mark.parametrize("name", [t for t in TEMPLATES if t != "blank"])
def test_norwegian_template_texts_are_norwegian_not_english(name: str) -> None:
    """Every example post, persona summary, pillar description, tactic and network role is read as a
    Scandinavian language (short sentences are sometimes taken for Danish or nynorsk), none as English,
    and nine in ten as bokmål."""
    texts = _free_texts(_strategy(name))
    found = [detect_mixed(t).language for t in texts]
    assert len(texts) >= 20
    assert set(found) <= {"nb", "nn", "da"}, [
        t for t, f in zip(texts, found, strict=True) if f not in {"nb", "nn", "da"}
    ]
    assert found.count("nb") >= 0.9 * len(texts)
    english = [detect_mixed(t).language for t in _free_texts(_strategy(name, "en"))]
    assert english.count("en") == len(english)  # the same check reads the English template as English


def test_norwegian_clothing_store_follows_the_method() -> None:
    s = _strategy("clothing-store")
    assert [p.weight for p in s.pillars] == [40, 30, 20, 10]
    assert [p.name for p in s.pillars] == ["Merkevaren", "Mote", "Skjønnhet", "Velvære"]
    giveaway = next(t for t in s.tactics if t.rrule == "FREQ=MONTHLY;BYDAY=1FR")
    assert giveaway.goal == "engagement" and giveaway.hashtag and giveaway.hashtag.startswith("#")
    for word in ("Kommenter", "del", "legg ut", giveaway.hashtag):  # comment, share or post under the hashtag
        assert word in giveaway.mechanics
    rule = rrulestr(giveaway.rrule, dtstart=dt.datetime(2026, 1, 1))
    assert [d.date() for d in rule[:2]] == [dt.date(2026, 1, 2), dt.date(2026, 2, 6)]


def test_norwegian_cosmetics_keeps_the_demo_pillar_ids() -> None:
    """`signalboost demo` labels the UCI posts product / inspiration / action: the ids stay, the names are Norwegian."""
    s = _strategy("cosmetics")
    assert [(p.id, p.name) for p in s.pillars] == [
        ("product", "Produkt"),
        ("inspiration", "Inspirasjon"),
        ("action", "Tilbud og konkurranser"),
        ("education", "Kunnskap"),
    ]


@pytest.mark.parametrize("name", TEMPLATES)
def test_norwegian_template_saves_identically(tmp_path: Path, name: str) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(template_text(name, "nb"), encoding="utf-8")
    StrategyDocument.load(path).save()
    diff = list(difflib.unified_diff(template_text(name, "nb").splitlines(), path.read_text("utf-8").splitlines()))
    assert diff == []


@pytest.mark.parametrize(
    ("given", "want"), [("nb", "nb"), ("no", "nb"), ("nb_NO", "nb"), ("NB-no", "nb"), ("en", "en")]
)
def test_template_language_codes(given: str, want: str) -> None:
    assert check_template_language(given) == want


def test_an_unknown_template_language_is_refused() -> None:
    with pytest.raises(UsageError) as info:
        template_text("cafe", "sv")
    assert info.value.what == "templates are not written in 'sv'" and "en, nb" in (info.value.hint or "")


def test_init_lang_nb_writes_the_norwegian_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kafe"
    assert main(["init", str(target), "--template", "cafe", "--lang", "nb", "--name", "Kaffebaren"]) == 0
    out = capsys.readouterr().out
    assert "fra malen cafe (norsk bokmål)" in out  # init --lang nb speaks Norwegian (its messages follow the template)
    text = (target / "strategy.yaml").read_text(encoding="utf-8")
    assert "  name: Kaffebaren\n" in text and "# 1. MÅLGRUPPE" in text and "Ingrid på hjemmekontor" in text
    assert main(["validate", "-w", str(target)]) == 0


def test_init_with_an_unknown_language_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kafe"
    assert main(["init", str(target), "--lang", "sv"]) == 2
    assert "templates are not written in 'sv'" in capsys.readouterr().err
    assert not target.exists()
