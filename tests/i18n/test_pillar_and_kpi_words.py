"""Pillars by the strategy's names and KPIs in words wherever a person reads them (issue #20's leftovers).

`signalboost plan`'s pillar-mix and week tables, `analyze`'s pillar tables and the strategy document's tactics
show a pillar by the name ``strategy.yaml`` gives it (``Produkt``), not its id (``product``); the strategy
document's KPI table says the metric in words with how it is computed, and a rate's target as a percentage
(``≥ 5,00 %``, as the report), not as the fraction written in the file (``0.05``). (The demo's validation line:
``test_cli_strings.py::test_demo_console_in_norwegian``.)

Expected names and figures are read from the template file or written by hand (Babel's CLDR forms).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
import yaml

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.model.strategy import Kpi, Strategy
from signalboost.model.templates import write_template
from signalboost.model.validate import validate_file
from signalboost.store.workspace import Workspace

#: the Norwegian cosmetics template's pillars, id -> name, as written in the file (model/templates/nb/cosmetics.yaml)
NB_NAMES = {
    "product": "Produkt",
    "inspiration": "Inspirasjon",
    "action": "Tilbud og konkurranser",
    "education": "Kunnskap",
}
NBSP = "\u00a0"


@pytest.fixture
def nb_ws(tmp_path: Path) -> Path:
    """A workspace holding the Norwegian cosmetics strategy (pillar ids in English, names in Norwegian)."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    write_template("cosmetics", ws.strategy_path, force=True, lang="nb")
    return tmp_path / "ws"


def test_the_template_names_its_pillars_as_this_test_expects(nb_ws: Path) -> None:
    doc = yaml.safe_load((nb_ws / "strategy.yaml").read_text(encoding="utf-8"))
    assert {p["id"]: p["name"] for p in doc["pillars"]} == NB_NAMES


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _header_cells(out: str, title: str) -> list[str]:
    """The header row of the table under ``title`` (cells stripped; a header wrapped over lines joined)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("┃"):
            break
        rows.append([c.strip() for c in line.strip("┃").split("┃")])
    return [" ".join(part for part in col if part) for col in zip(*rows, strict=True)]


@pytest.mark.parametrize(("lang", "title", "every"), [("nb", "Søylefordeling", "alle"), ("en", "Pillar mix", "all")])
def test_plan_shows_pillars_by_their_names(
    nb_ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str, title: str, every: str
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    out = _run(capsys, "--lang", lang, "plan", "-w", str(nb_ws), "--from", "2026-03-02", "--weeks", "4", "--dry-run")
    headers = _header_cells(out, title)
    # network, n, then one column per pillar in the strategy's order, headed by its name
    assert headers[2:] == list(NB_NAMES.values()), headers
    assert re.search(rf"│ {every} +│", out)
    week = out.split(title)[0]
    used = {name for name in NB_NAMES.values() if name in week}
    assert len(used) >= 3, used  # the week tables name the pillars too
    for pid in NB_NAMES:
        assert not re.search(rf"[│ ]{pid}[ │+]", out), pid  # no bare id in any table


def test_analyze_pillar_tables_use_the_names() -> None:
    from signalboost.cli.analytics_tables import BUILDERS

    mix = pl.DataFrame(
        {
            "platform": ["facebook", "facebook"],
            "pillar": ["action", "unclassified"],
            "posts": [215.0, 3.0],
            "share": [0.43, 0.006],
            "share_low": [0.3873, 0.002],
            "share_high": [0.4738, 0.02],
            "target": [0.2, 0.0],
            "posts_off": [115.0, 3.0],
            "drift": [True, False],
        }
    )
    groups = pl.DataFrame(
        {
            "platform": ["facebook"],
            "group": ["inspiration"],
            "n_used": [155],
            "mean": [0.0319],
            "ci_low": [0.0296],
            "ci_high": [0.0343],
            "diff_vs_rest": [0.0113],
            "diff_ci_low": [0.0084],
            "diff_ci_high": [0.0142],
            "metric": ["er_reach"],
        }
    )
    with i18n.use_language("nb"):
        rows = BUILDERS["mix"](mix, NB_NAMES)
        perf = BUILDERS["pillars"](groups, NB_NAMES)
        assert [r["søyle"] for r in rows] == ["Tilbud og konkurranser", "uklassifisert"]
        assert perf[0]["søyle"] == "Inspirasjon"
        assert BUILDERS["mix"](mix, None)[0]["søyle"] == "action"  # no strategy: the id, as before
    with i18n.use_language("en"):
        assert [r["pillar"] for r in BUILDERS["mix"](mix, NB_NAMES)] == ["Tilbud og konkurranser", "unclassified"]


@pytest.fixture(scope="module")
def nb_strategy(tmp_path_factory: pytest.TempPathFactory) -> Strategy:
    path = tmp_path_factory.mktemp("doc") / "strategy.yaml"
    write_template("cosmetics", path, force=True, lang="nb")
    strategy = validate_file(path).strategy
    assert strategy is not None
    return strategy


def _kpi_row(md: str, kpi: str) -> list[str]:
    line = next(line for line in md.splitlines() if line.startswith(f"| **{kpi}**"))
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_the_strategy_document_says_kpis_in_words_and_rates_as_percentages(nb_strategy: Strategy) -> None:
    from signalboost.report.strategy_doc import render_html, render_markdown

    nb = render_markdown(nb_strategy, lang="nb")
    # fb-engasjement: metric engagement_rate_reach, aggregation rate, target 0.05 in the file
    assert _kpi_row(nb, "fb-engasjement")[1:4] == [
        "engasjementsrate etter rekkevidde (rate av periodens summer)",
        "facebook",
        f"≥ 5,00{NBSP}%",
    ]
    # fb-rekkevidde: reach, mean per post, 15000 -> a count with CLDR's Norwegian grouping (a no-break space)
    assert _kpi_row(nb, "fb-rekkevidde")[1:4] == ["rekkevidde (snitt per innlegg)", "facebook", f"≥ 15{NBSP}000"]
    assert _kpi_row(nb, "yt-visninger")[1] == "avspillinger (sum over perioden)"
    assert _kpi_row(nb, "emneknagg-bruk")[1] == "bruk av emneknaggen (sum over perioden)"
    kpis = nb.split("## KPI-er")[-1]
    assert not re.search(r"engagement_rate|hashtag_uses|\| views|0,05", kpis), kpis
    # the tactics name their pillars as the strategy does
    assert "**Søyler:** Tilbud og konkurranser, Inspirasjon" in nb
    # a vision that ends with its own full stop gets no second one
    assert "Visjon: Sunn hud og god selvfølelse, uansett budsjett. Verdier: " in nb and ".." not in nb
    en = render_markdown(nb_strategy, lang="en")
    assert _kpi_row(en, "fb-engasjement")[1:4] == [
        "engagement rate by reach (rate of the window's totals)",
        "facebook",
        "≥ 5.00%",
    ]
    assert _kpi_row(en, "fb-rekkevidde")[3] == "≥ 15,000"
    html = render_html(nb_strategy, lang="nb")
    assert f"≥ 5,00{NBSP}%" in html and ">engagement_rate_reach<" not in html
    assert "Tilbud og konkurranser, Inspirasjon" in html


@pytest.mark.parametrize(
    ("metric", "target", "direction", "en", "nb"),
    [
        ("engagement_rate_reach", 0.05, "at_least", "≥ 5.00%", f"≥ 5,00{NBSP}%"),
        ("click_through_rate", 0.012, "at_least", "≥ 1.20%", f"≥ 1,20{NBSP}%"),
        ("influencer_engagement_rate", 0.1, "at_least", "≥ 10.00%", f"≥ 10,00{NBSP}%"),
        ("follower_growth", 0.025, "at_least", "≥ 2.50%", f"≥ 2,50{NBSP}%"),
        ("clicks", 1200, "at_least", "≥ 1,200", f"≥ 1{NBSP}200"),  # a count, though it starts like click_through
        ("posts", 20, "at_most", "≤ 20", "≤ 20"),
    ],
)
def test_kpi_targets_rates_as_percentages(metric: str, target: float, direction: str, en: str, nb: str) -> None:
    from signalboost.report.words import kpi_target_words

    kpi = Kpi(id="k", metric=metric, target=target, direction=direction)  # type: ignore[arg-type]
    with i18n.use_language("en"):
        assert kpi_target_words(kpi) == en
    with i18n.use_language("nb"):
        assert kpi_target_words(kpi) == nb


def test_every_kpi_metric_has_a_word() -> None:
    from typing import get_args

    from signalboost.model.vocab import KpiMetric
    from signalboost.report.words import kpi_metric_words

    with i18n.use_language("nb"):
        said = {m: kpi_metric_words(m) for m in get_args(KpiMetric)}
    assert not [m for m, w in said.items() if w == m or "_" in w], said
    assert said["engagement_rate_reach"] == "engasjementsrate etter rekkevidde"
