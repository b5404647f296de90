"""Errors people read, in their language: every ``SignalboostError``'s what and hint is a ``L_()`` template
translated when the error is shown (docs/CONTRIBUTING.md, "Errors people read").

The CLI cases run the real command line (``signalboost.cli.main.main``) in ``nb`` and in ``en``: the Norwegian
text and hint, the location (file, line, option) untouched, the exit code the same as in English, and the English
text exactly as before. The expected Norwegian is written out by hand here, not read from the catalog."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.errors import IngestError, UsageError
from signalboost.i18n import L_, LazyText, Ln_, tr, use_language
from tests.i18n.error_sites import plain_error_texts, scan

PACKAGE = Path(i18n.__file__).resolve().parent
NBSP = "\xa0"  # CLDR's group separator and percent spacing for nb


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    return code, " ".join(line.strip() for line in err.splitlines())


# ------------------------------------------------------------------------------------------- the message object


def test_a_lazy_message_is_english_text_and_renders_in_the_active_language() -> None:
    text = L_("unknown language {value!r}", value="sv")
    assert text == "unknown language 'sv'" and isinstance(text, str)
    with use_language("nb"):
        assert tr(text) == "ukjent språk 'sv'"
    assert tr(text) == "unknown language 'sv'"
    assert text.render("nb") == "ukjent språk 'sv'"


def test_numbers_in_a_message_are_written_by_babel_and_identifiers_are_kept() -> None:
    text = L_("{n} rows in {file!r}, {share:.1%}, {year!s}", n=12345.5, file="a.csv", share=0.1234, year=2026)
    # en: CLDR #,##0.### and #,##0%; the year (!s) is not grouped
    assert text == "12,345.5 rows in 'a.csv', 12.3%, 2026"
    # nb: group separator no-break space, decimal comma, "12,3 %" (CLDR nb percent pattern "#,##0 %")
    assert text.render("nb") == f"12{NBSP}345,5 rows in 'a.csv', 12,3{NBSP}%, 2026"


def test_plural_messages_follow_the_count() -> None:
    one = Ln_(
        "{n} more error: run `signalboost validate` to see them all",
        "{n} more errors: run `signalboost validate` to see them all",
        1,
    )
    three = Ln_(
        "{n} more error: run `signalboost validate` to see them all",
        "{n} more errors: run `signalboost validate` to see them all",
        3,
    )
    assert one == "1 more error: run `signalboost validate` to see them all"
    assert three == "3 more errors: run `signalboost validate` to see them all"
    assert three.render("nb") == "3 feil til: kjør `signalboost validate` for å se alle"


def test_a_nested_message_is_rendered_in_the_same_language() -> None:
    text = L_(
        "unknown template {name!r}{did_you_mean}",
        name="cafee",
        did_you_mean=L_("; did you mean {match!r}?", match="cafe"),
    )
    assert text == "unknown template 'cafee'; did you mean 'cafe'?"
    assert text.render("nb") == "ukjent mal 'cafee'; mente du 'cafe'?"


def test_a_message_survives_pickling_with_its_translation() -> None:
    text = pickle.loads(pickle.dumps(L_("unknown language {value!r}", value="sv")))
    assert isinstance(text, LazyText) and text.render("nb") == "ukjent språk 'sv'"


def test_a_message_missing_from_the_catalog_is_shown_in_english() -> None:
    assert L_("a message nobody translated {x}", x=1).render("nb") == "a message nobody translated 1"


def test_an_error_is_english_in_its_args_and_str_follows_the_active_language() -> None:
    exc = UsageError(
        L_("unknown language {value!r}", value="sv"),
        where="--lang",
        hint=L_("Choose one of: {choices}", choices="en, nb"),
    )
    assert exc.args == ("--lang: unknown language 'sv'. Choose one of: en, nb",)
    assert str(exc) == "--lang: unknown language 'sv'. Choose one of: en, nb"
    with use_language("nb"):
        assert str(exc) == "--lang: ukjent språk 'sv'. Velg en av: en, nb"
        assert exc.message(english=True) == "--lang: unknown language 'sv'. Choose one of: en, nb"
    assert exc.what == "unknown language 'sv'"  # the English text for code that compares it


# ------------------------------------------------------------------------------------- through the command line


def test_missing_workspace_in_nb_and_en(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = tmp_path / "nope"
    code, nb = _run(["--lang", "nb", "stats", "-w", str(nowhere)], capsys)
    assert code == 1
    assert nb == (
        f"Feil: {nowhere}: arbeidsområdemappen finnes ikke. Opprett den med `signalboost init MAPPE`, eller oppgi "
        "arbeidsområdemappen din med -w/--workspace"
    )
    code_en, en = _run(["--lang", "en", "stats", "-w", str(nowhere)], capsys)
    assert code_en == code
    assert en == (
        f"Error: {nowhere}: no such workspace folder. Create one with `signalboost init DIR`, or pass "
        "-w/--workspace with your workspace folder"
    )


def test_workspace_without_strategy_in_nb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ws").mkdir()
    code, nb = _run(["--lang", "nb", "plan", "-w", str(tmp_path / "ws")], capsys)
    assert code == 1
    assert "arbeidsområdet har ingen strategy.yaml" in nb and str(tmp_path / "ws") in nb
    assert "Lag en med `signalboost init --template clothing-store`" in nb
    code_en, en = _run(["plan", "-w", str(tmp_path / "ws")], capsys)
    assert code_en == 1 and "no strategy.yaml in the workspace" in en


def test_init_over_an_existing_strategy_in_nb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "ws"), "--template", "blank"]) == 0
    capsys.readouterr()
    code, nb = _run(["--lang", "nb", "init", str(tmp_path / "ws"), "--template", "blank"], capsys)
    assert code == 1
    assert "det finnes allerede et strategidokument" in nb
    assert "Behold det, eller bruk --force for å erstatte det med malen" in nb
    assert "strategy.yaml" in nb  # where: the file
    code_en, en = _run(["init", str(tmp_path / "ws"), "--template", "blank"], capsys)
    assert code_en == 1 and "a strategy document already exists" in en and "--force" in en


def test_a_bad_date_option_in_nb_names_the_option_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "ws"), "--template", "blank"]) == 0
    capsys.readouterr()
    code, nb = _run(["--lang", "nb", "plan", "-w", str(tmp_path / "ws"), "--from", "2026-02-30"], capsys)
    code_en, en = _run(["plan", "-w", str(tmp_path / "ws"), "--from", "2026-02-30"], capsys)
    assert code == code_en == 2
    assert nb == "Feil: --from: '2026-02-30' er ikke en dato. Skriv ÅÅÅÅ-MM-DD (YYYY-MM-DD), f.eks. 2026-03-02"
    assert en == "Error: --from: '2026-02-30' is not a date. Use YYYY-MM-DD, e.g. 2026-03-02"


def test_an_invalid_strategy_speaks_its_own_brand_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No --lang: the strategy's brand.language (nb) is read even from a document that does not validate."""
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "strategy.yaml").write_text("brand:\n  language: nb\n  name: 3\n", encoding="utf-8")
    code, nb = _run(["plan", "-w", str(ws)], capsys)
    assert code == 1
    assert nb == (
        f"Feil: {ws / 'strategy.yaml'}:3:9: brand.name må være tekst, men er tallet 3 (ved brand.name). "
        "Rett det i strategy.yaml; `signalboost validate` sjekker filen"
    )
    code_en, en = _run(["--lang", "en", "plan", "-w", str(ws)], capsys)
    assert code_en == 1
    assert en == (
        f"Error: {ws / 'strategy.yaml'}:3:9: brand.name must be text, got the number 3 (at brand.name). "
        "Fix it in strategy.yaml; `signalboost validate` checks the file"
    )


def test_validate_lists_schema_problems_in_nb_with_key_paths_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "cafe"]) == 0
    text = (ws / "strategy.yaml").read_text(encoding="utf-8")
    text = text.replace("\npillars:", "\npilars:", 1)
    (ws / "strategy.yaml").write_text(text, encoding="utf-8")
    line = text[: text.index("\npilars:")].count("\n") + 2  # 1-based line of the misspelt key
    capsys.readouterr()
    assert main(["--lang", "nb", "validate", "-w", str(ws)]) == 1
    out = capsys.readouterr().out
    assert f"strategy.yaml:{line}:1: feil: ukjent nøkkel 'pilars' på øverste nivå; mente du 'pillars'? [pilars]" in out
    assert "dokumentet definerer ingen søyler [tactics[0].pillars[0]]" in out
    assert "→ Definer den under pillars:, eller fjern henvisningen" in out
    assert main(["--lang", "en", "validate", "-w", str(ws)]) == 1
    out = capsys.readouterr().out
    assert (
        f"strategy.yaml:{line}:1: error: unknown key 'pilars' at the top level; did you mean 'pillars'? [pilars]" in out
    )
    assert "the document defines no pillars [tactics[0].pillars[0]]" in out


def test_more_errors_are_counted_in_the_readers_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "strategy.yaml").write_text("brand:\n  name: 3\n  timezone: Europe/Osloo\n", encoding="utf-8")
    code, nb = _run(["--lang", "nb", "plan", "-w", str(ws)], capsys)
    assert code == 1
    assert "brand.name må være tekst, men er tallet 3" in nb
    assert "feil til: kjør `signalboost validate` for å se alle" in nb


@pytest.fixture
def blank_ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "blank"]) == 0
    capsys.readouterr()
    return ws


def test_import_of_a_missing_file_in_nb(blank_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.csv"
    code, nb = _run(["--lang", "nb", "import", str(missing), "-w", str(blank_ws)], capsys)
    code_en, en = _run(["import", str(missing), "-w", str(blank_ws)], capsys)
    assert code == code_en == 1
    assert nb == f"Feil: {missing}: filen eller mappen finnes ikke. Sjekk stien"
    assert en == f"Error: {missing}: no such file or folder. Check the path"


def test_import_mapping_and_date_errors_in_nb(
    blank_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok, vague = tmp_path / "ok.csv", tmp_path / "vague.csv"
    ok.write_text("ID,Date,Likes\n1,2024-05-01,3\n", encoding="utf-8")
    vague.write_text("ID,Date,Likes\n1,yesterday-ish,3\n2,around noon,4\n", encoding="utf-8")
    args = ["import", str(ok), "--map", "post_id=Nope,created_at=Date", "--platform", "x", "-w", str(blank_ws)]
    code, nb = _run(["--lang", "nb", *args], capsys)
    code_en, en = _run(args, capsys)
    assert code == code_en == 1
    assert nb == (
        f"Feil: {ok} (--map): koblingen nevner kolonnen 'Nope', som filen ikke har. Kolonner i filen: ID, Date, Likes"
    )
    assert en == (
        f"Error: {ok} (--map): the mapping names column 'Nope', which the file does not have. "
        "Columns in the file: ID, Date, Likes"
    )
    args = ["import", str(vague), "--map", "post_id=ID,created_at=Date", "--platform", "x", "-w", str(blank_ws)]
    code, nb = _run(["--lang", "nb", *args], capsys)
    assert code == 1
    assert nb.startswith(f"Feil: {vague}: kjenner ikke igjen datoene i kolonnen 'Date' (f.eks. 'yesterday-ish').")
    assert "Oppgi --date-format" in nb


def test_unknown_import_format_in_nb_lists_the_formats(
    blank_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ok.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code, nb = _run(
        ["--lang", "nb", "import", str(tmp_path / "ok.csv"), "--format", "nope", "-w", str(blank_ws)], capsys
    )
    assert code == 1
    assert nb.startswith("Feil: --format: ukjent format 'nope'. Bruk en av: bluesky-car, edgelist, facebook-uci,")
    assert nb.endswith("(se `signalboost formats`)")


def test_a_zip_bomb_ratio_is_a_norwegian_number() -> None:
    text = L_("the compressed file expands {ratio:,.0f}x (a decompression bomb?)", ratio=12345.4)
    assert text == "the compressed file expands 12,345x (a decompression bomb?)"
    assert (
        text.render("nb") == f"den komprimerte filen vokser 12{NBSP}345 ganger når den pakkes ut (en utpakkingsbombe?)"
    )


def test_calendar_export_usage_and_missing_data_in_nb(
    blank_ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.ics")
    code, nb = _run(["--lang", "nb", "calendar", "export", "-w", str(blank_ws), "-o", out], capsys)
    code_en, en = _run(["calendar", "export", "-w", str(blank_ws), "-o", out], capsys)
    assert code == code_en == 2
    assert "velg nøyaktig ett format. Oppgi ett av --ics, --csv, --hootsuite-csv, --md, --html" in nb
    assert "choose exactly one format. Pass one of --ics, --csv, --hootsuite-csv, --md, --html" in en
    code, nb = _run(["--lang", "nb", "calendar", "export", "--ics", "-w", str(blank_ws), "-o", out], capsys)
    code_en, en = _run(["calendar", "export", "--ics", "-w", str(blank_ws), "-o", out], capsys)
    assert code == code_en == 1
    assert nb == (
        "Feil: calendar: ingenting å eksportere: ingen lagrede innlegg i denne perioden. Planlegg noen med "
        "`signalboost plan`, eller utvid --from/--weeks/--network"
    )
    assert en == (
        "Error: calendar: nothing to export: no saved posts in this period. Plan some with `signalboost plan`, "
        "or widen --from/--weeks/--network"
    )


def test_publish_without_a_connected_account_in_nb(blank_ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, nb = _run(["--lang", "nb", "publish", "-w", str(blank_ws)], capsys)
    code_en, en = _run(["publish", "-w", str(blank_ws)], capsys)
    assert code == code_en
    assert f"Feil: {blank_ws}: ingen konto er koblet til dette arbeidsområdet. Koble til en med" in nb
    assert f"Error: {blank_ws}: no account is connected to this workspace. Connect one with" in en


def test_an_unreachable_mastodon_server_in_nb(
    blank_ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real connection attempt to a closed local port (nothing listens on port 9): the network error."""
    import signalboost.connect.mastodon as mastodon

    monkeypatch.setattr(mastodon, "MAX_ATTEMPTS", 1)  # no backoff between retries in a test
    monkeypatch.setenv("SIGNALBOOST_MASTODON_TOKEN", "not-a-real-token")
    args = ["connect", "mastodon", "--instance", "http://127.0.0.1:9", "-w", str(blank_ws)]
    code, nb = _run(["--lang", "nb", *args], capsys)
    code_en, en = _run(args, capsys)
    assert code == code_en == 1
    assert nb.startswith("Feil: http://127.0.0.1:9: får ikke kontakt med Mastodon-serveren (")
    assert nb.endswith("Sjekk adressen (--instance) og nettverket, og kjør kommandoen igjen")
    assert en.startswith("Error: http://127.0.0.1:9: cannot reach the Mastodon server (")
    assert not (blank_ws / "secrets.json").exists() or "not-a-real-token" not in (blank_ws / "secrets.json").read_text()


def test_a_dashboard_error_is_shown_in_the_readers_language(blank_ws: Path) -> None:
    from fastapi.testclient import TestClient

    from signalboost.store.workspace import Workspace
    from signalboost.web.app import create_app

    client = TestClient(create_app(Workspace.open(blank_ws)), base_url="http://127.0.0.1")
    nb = client.get("/calendar", params={"date": "2026-13-45", "lang": "nb"})
    en = client.get("/calendar", params={"date": "2026-13-45", "lang": "en"})
    assert nb.status_code == en.status_code and nb.status_code >= 400
    assert "ikke en dag kalenderen kan vise" in nb.text and "Skriv ÅÅÅÅ-MM-DD (YYYY-MM-DD)" in nb.text
    assert "is not a day the calendar can show" in en.text and "Use YYYY-MM-DD" in en.text


def test_a_failed_upload_is_reported_in_the_language_of_whoever_reads_it() -> None:
    """The import runs in a worker thread (no reader); its error is rendered when the job is read."""
    from signalboost.web.uploads import Job

    job = Job(job_id="j1", filename="posts.csv", size=3)
    job.failure = IngestError(
        L_("the file is empty"), where="/srv/tmp/x1.csv", hint=L_("Export the data again; nothing was imported")
    )
    job.hide = ("/srv/tmp/x1.csv", "posts.csv")
    assert job.as_dict()["error"] == "posts.csv: the file is empty. Export the data again; nothing was imported"
    with use_language("nb"):
        assert job.as_dict()["error"] == "posts.csv: filen er tom. Eksporter dataene på nytt; ingenting ble importert"


def test_media_problems_are_joined_and_translated_when_shown() -> None:
    from signalboost.i18n import L_join

    text = L_join("; ", [L_("no alt text"), L_("the post has no text")])
    assert text == "no alt text; the post has no text"
    assert text.render("nb") == "ingen alternativ tekst; innlegget har ingen tekst"


#: (command, the Norwegian message, the English message): missing data met before anything is imported or planned
MISSING_DATA = [
    (
        "analyze",
        "Feil: workspace: det finnes ingen innlegg å analysere. Importer noen først med `signalboost import FIL`",
        "Error: workspace: there are no posts to analyse. Import some first with `signalboost import FILE`",
    ),
    (
        "partners monitor",
        "Feil: table partners: ingen partnere er valgt ennå. Velg noen med `signalboost partners choose --save`",
        "Error: table partners: no partners chosen yet. Choose some with `signalboost partners choose --save`",
    ),
    (
        "outreach identify",
        "Feil: table influence_scores: ingen påvirkerpoeng ennå. Beregn poeng for kontoene først med "
        "`signalboost influencers`",
        "Error: table influence_scores: no influence scores yet. Score the accounts first with "
        "`signalboost influencers`",
    ),
    (
        "calendar move NOPE --to 2026-03-03T10:00",
        "Feil: post id: ingen planlagte innlegg med id 'NOPE'. Se id-ene med `signalboost calendar show` (eller kjør "
        "`signalboost plan` først)",
        "Error: post id: no planned post with id 'NOPE'. List the ids with `signalboost calendar show` (or run "
        "`signalboost plan` first)",
    ),
]


@pytest.mark.parametrize(("command", "nb_text", "en_text"), MISSING_DATA, ids=[c[0] for c in MISSING_DATA])
def test_missing_data_in_nb_and_en(
    command: str, nb_text: str, en_text: str, blank_ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*command.split(), "-w", str(blank_ws)]
    code, nb = _run(["--lang", "nb", *args], capsys)
    code_en, en = _run(args, capsys)
    assert code == code_en == 1
    assert nb == nb_text
    assert en == en_text


def test_unknown_lang_in_nb_is_still_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["--lang", "fr", "schema"], capsys)
    assert code == 2 and "unknown language 'fr'" in err  # the language is not known yet: English


# --------------------------------------------------------------------------------- every raise site translatable

#: Modules whose errors are still written as plain English, with the number of such error constructions (empty:
#: every error of src/signalboost is an L_() template). Only for a module being converted: the test fails when a
#: module not listed writes a plain-text error, or when a count here is out of date.
NOT_YET_TRANSLATED: dict[str, int] = {}


def test_the_checker_flags_plain_text_and_accepts_templates() -> None:
    source = """
raise IngestError(f"bad row {n}", where=path)
raise IngestError("bad file", hint=L_("Fix it"))
raise UsageError(L_("bad"), hint="Use " + choices)
raise PlanError(L_("no {x}", x=x), hint=L_("Try {y}", y=y) if y else hint)
raise StoreError(what)
err = WorkspaceError(L_("ok"), where=f"{path}:{line}")
raise ValueError(f"not ours {x}")
"""
    assert plain_error_texts(source) == [2, 3, 4]


def test_every_error_is_written_translatable_outside_the_listed_modules() -> None:
    found = {module: len(lines) for module, lines in scan(PACKAGE).items()}
    unlisted = {m: scan(PACKAGE)[m] for m in found if m not in NOT_YET_TRANSLATED}
    assert not unlisted, f"errors written as plain text (use L_(), docs/CONTRIBUTING.md): {unlisted}"
    stale = {m: (n, found.get(m, 0)) for m, n in NOT_YET_TRANSLATED.items() if found.get(m, 0) != n}
    assert not stale, f"update NOT_YET_TRANSLATED (listed, found): {stale}"


def test_ingest_error_with_a_translated_hint_keeps_its_location() -> None:
    exc = IngestError(L_("the file is not UTF-8 text"), where="posts.csv:12:3", hint=L_("Save it as UTF-8 YAML"))
    with use_language("nb"):
        assert exc.message() == "posts.csv:12:3: filen er ikke UTF-8-tekst. Lagre den som UTF-8-YAML"
