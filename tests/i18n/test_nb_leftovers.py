"""What a Norwegian reader still saw in English after issue #20 (its closing note, item 5): `recommend`'s diff
comments and the dashboard's Partners page (status, method, where the audiences come from).

Expected words are the bokmål catalog's, written by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app


@pytest.mark.parametrize(
    ("lang", "why"),
    [("nb", "#   hvorfor tue 10:00 (anbefalt): "), ("en", "#   why tue 10:00 (recommended): ")],
)
def test_recommends_diff_comments_in_the_readers_language(lang: str, why: str) -> None:
    from signalboost.analytics.analysis import AnalysisOptions, analyze
    from signalboost.analytics.recommend import proposal_diff, propose_schedule
    from signalboost.model.io import StrategyDocument
    from tests.analytics.test_recommend import YAML, _history

    doc = StrategyDocument.loads(YAML)
    posts, metrics = _history(weeks=24)
    with i18n.use_language(lang):
        result = analyze(doc.strategy(), posts, metrics, None, options=AnalysisOptions(min_posts=3, explore=0))
        diff = proposal_diff(doc, propose_schedule(doc.strategy(), result, explore=0), today=dt.date(2024, 3, 1))
    comments = [line for line in diff.splitlines() if line.startswith("#")]
    assert comments and all(line.startswith(why) for line in comments), comments
    if lang == "nb":
        assert not re.search(r"\b(why|recommended|explore|kept)\b", "\n".join(comments))


def test_the_partners_page_in_norwegian(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.influence.test_store_cli import fill as fill_influence

    fill_influence(workspace)
    assert (
        main(["partners", "rank", "--top", "3", "--audience", "interactions", "--save", "-w", str(workspace.root)]) == 0
    )
    capsys.readouterr()
    client = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    html = client.get("/partners?lang=nb").text
    text = unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "Publikum fra interaksjoner; metode eksakt; beregnet " in text, text
    assert " kandidat " in text
    assert not re.search(r"\b(candidate|interactions|exact)\b", text)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The Norwegian cosmetics strategy, the bundled UCI Facebook posts (the pillars drift: 43 % action against 20 %)
    and a week planned from Monday 2 March 2026."""
    from signalboost.demo_data import UCI_FACEBOOK, demo_file
    from signalboost.ingest.pipeline import import_files
    from signalboost.model.templates import write_template

    ws = Workspace.open(tmp_path_factory.mktemp("planned") / "ws", create=True)
    write_template("cosmetics", ws.strategy_path, force=True, lang="nb")
    import_files(ws, [demo_file(*UCI_FACEBOOK)], progress=False)
    assert main(["plan", "-w", str(ws.root), "--from", "2026-03-02", "--weeks", "1", "--skip-empty-tactics"]) == 0
    i18n.set_override(None)
    return ws


def test_the_overview_in_norwegian(planned: Workspace) -> None:
    from signalboost.web.views import analytics, overview

    with i18n.use_language("nb"):
        data = overview.build(
            planned, today=dt.date(2026, 3, 2), analysis=analytics.overview_figures(planned), alerts=[]
        )
    fb = next(k for k in data["kpis"] if k["id"] == "fb-engasjement")
    assert fb["metric"] == "engagement_rate_reach" and fb["target"] == 0.05  # the data stay identifiers
    alerts = [a["text"] for a in data["alerts"]]
    assert "Driver av på facebook: Tilbud og konkurranser: 215 av 500 innlegg (43\u00a0%), 100 var ventet " in (
        "\n".join(alerts)
    ), alerts
    todo = [t["text"] for t in data["todo"]]
    # Monday 2 March 2026 at 10:00 on Facebook (the strategy's slot), CLDR's "man. 2. mars"
    assert todo and todo[0].startswith("man. 2. mars 10:00 · facebook · "), todo
    assert all(re.search(r" · planlagt(: |, ingen utkast ennå)", t) for t in todo), todo
    english = re.compile(r"\b(Pillar|posts too|planned|no draft yet|Mon|photo)\b|\b(product|inspiration|action)\b")
    assert not [t for t in alerts + todo if english.search(t.split(": ", 2)[-1] if ": " in t else t)], alerts + todo
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/?lang=nb").text
    text = unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))
    # the KPI table: the metric in words, a rate's target as a percentage, the status in words
    assert "(engasjementsrate etter rekkevidde, rate av periodens summer)" in text
    assert "≥ 5,00\u00a0%" in text and "≥ 0,05" not in text
    assert "ingen innlegg på youtube i perioden" in text and "no posts on" not in text


def test_the_strategy_pages_factors_in_norwegian(planned: Workspace) -> None:
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    factors = client.get("/strategy.json?lang=nb").json()["factors"]
    said = {f["id"]: (f["title"], f["items"]) for f in factors}
    assert said["personality"][0] == "2. Personlighet"
    assert said["personality"][1][0].startswith("Visjon: ") and said["personality"][1][2].endswith("(vennlig)")
    assert said["schedule"][1] == [
        "facebook: minst 5 i uka, 6 tidspunkter",
        "instagram: minst 4 i uka, 4 tidspunkter",
        "youtube: minst 1 i uka, 1 tidspunkt",
    ]
    assert said["tactics"][1] == [
        "Månedens glødkonkurranse (engasjement, 1. fredag hver måned)",
        "Torsdagstips (rekkevidde, torsdag hver uke)",
    ]
    assert said["examples"][1] == ["14 eksempelinnlegg"]
    assert said["pillars"][1][0] == "Produkt — 40\u00a0%"


def test_the_post_editor_says_its_day_in_norwegian(planned: Workspace) -> None:
    from signalboost.plan.service import load_plan

    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    first = min(load_plan(planned, start, start + dt.timedelta(days=7)), key=lambda p: p.local)
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get(f"/calendar/post/{first.id}?lang=nb").text
    text = unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))
    # Monday 2 March 2026, 10:00 Oslo time: CLDR's medium and full Norwegian dates
    assert "facebook · 2. mars 2026 10:00" in text and "mandag 2. mars 2026 10:00 (Europe/Oslo)" in text, text
    assert "2026-03-02" not in text


def test_the_analytics_page_in_norwegian(planned: Workspace) -> None:
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/analytics?lang=nb").text
    text = unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))
    for norwegian in (
        "Merk: Innleggene sammenlignes etter engasjementsrate etter rekkevidde (er_reach)",  # the notes
        "(likerklikk + kommentarer + delinger) / rekkevidde",  # the definitions
        "Forventet engasjementsrate etter rekkevidde per ukedag og time (Europe/Oslo)",  # the heatmap
        "man. 00: ingen data",  # a heatmap cell without posts, its weekday from CLDR
        "Søylefordeling: faktisk andel mot målet (stiplet)",
        "Avvik: Tilbud og konkurranser på 43\u00a0% mot målet 20\u00a0%",  # pillars by their names
        "Snitt av engasjementsrate etter rekkevidde per format (95 %-intervall)",  # as the catalog writes it
        "(engasjementsrate etter rekkevidde, rate av periodens summer, 30 dager)",  # the KPI table
        "≥ 5,00\u00a0%",
    ):
        assert norwegian in text, norwegian
    english = r"\b(no data|metric auto|Expected|Pillar mix|exploration|Mean|likes|target|Mon|engagement_rate_reach)\b"
    assert not re.findall(english, text), re.findall(english, text)
    if "utforsk" in text:  # exploration slots, when the data leave some: their reason in words
        assert "utforskning: bare " in text


def test_the_calendar_names_pillars_and_curated_posts_in_norwegian(planned: Workspace) -> None:
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/calendar?view=month&date=2026-03-02&lang=nb").text
    text = unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert re.search(r"facebook · (Produkt|Inspirasjon|Tilbud og konkurranser|Kunnskap)\b", text), text
    assert not re.search(r" · (product|inspiration|action|education)\b", text)
    legend = html[html.index('class="legend"') : html.index("</ul>", html.index('class="legend"'))]
    assert "kuratert" in legend and "curated" not in legend.replace("pillar-curated", "")
