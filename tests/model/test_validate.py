"""Broken strategy documents: each problem's exact message and its line:column (counted by hand in base.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from signalboost.errors import StrategyError
from signalboost.model.io import load_strategy
from signalboost.model.validate import Problem, validate_bytes, validate_file, validate_text

TODAY = dt.date(2026, 1, 15)
BASE = (Path(__file__).resolve().parents[1] / "data" / "strategy" / "base.yaml").read_text(encoding="utf-8")
LINES = BASE.splitlines()


def doc(
    *, replace: dict[int, str] | None = None, delete: tuple[int, ...] = (), after: dict[int, str] | None = None
) -> str:
    """base.yaml with 1-based lines replaced, deleted, or text inserted after a line."""
    out = []
    for n, line in enumerate(LINES, start=1):
        if n in delete:
            continue
        out.append((replace or {}).get(n, line))
        if after and n in after:
            out.extend(after[n].splitlines())
    return "\n".join(out) + "\n"


def check(text: str, today: dt.date = TODAY) -> list[tuple[str, str, int | None, int | None]]:
    report = validate_text(text, source="strategy.yaml", today=today)
    return [(p.level, p.message, p.line, p.column) for p in report.problems]


def errors(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(m, line, col) for level, m, line, col in check(text) if level == "error"]


def test_base_document_is_clean() -> None:
    report = validate_text(BASE, today=TODAY)
    assert report.problems == []
    assert report.ok and report.strategy is not None
    assert report.strategy.brand.name == "Acme"
    assert report.summary() == "valid, no problems"


# ----------------------------------------------------------------------------------------------- file level


def test_empty_file() -> None:
    assert check("") == [("error", "the file is empty", 1, 1)]
    assert check("   \n# only a comment\n\n") == [("error", "the file is empty", 1, 1)]


def test_binary_file_reports_first_nul_byte() -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00IHDR"
    report = validate_bytes(raw)
    assert [(p.message, p.line, p.column) for p in report.problems] == [
        ("the file is binary, not YAML text (it contains a NUL byte)", 3, 1)
    ]
    assert report.problems[0].code == "binary"


def test_binary_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_bytes(b"brand:\n  name: \x00\x01\x02")
    report = validate_file(path)
    assert [(p.message, p.line, p.column) for p in report.problems] == [
        ("the file is binary, not YAML text (it contains a NUL byte)", 2, 9)
    ]
    with pytest.raises(StrategyError) as info:
        load_strategy(path)
    assert info.value.where == f"{path}:2:9"


def test_not_utf8() -> None:
    raw = "brand:\n  name: Café\n".encode("latin-1")
    report = validate_bytes(raw)
    assert [(p.message, p.line, p.column) for p in report.problems] == [
        ("the file is not UTF-8 text (byte 0xe9 cannot be decoded)", 2, 12)
    ]


def test_utf8_bom_is_accepted() -> None:
    assert validate_bytes(b"\xef\xbb\xbf" + BASE.encode(), today=TODAY).problems == []


def test_invalid_yaml_unclosed_quote() -> None:
    text = 'brand:\n  name: "Acme\n'
    assert check(text) == [
        (
            "error",
            "invalid YAML: found unexpected end of stream (while scanning a quoted scalar started at line 2, column 9)",
            3,
            1,
        )
    ]


def test_invalid_yaml_bad_indentation() -> None:
    text = "brand:\n  name: Acme\n   timezone: UTC\n"
    assert check(text) == [("error", "invalid YAML: mapping values are not allowed here", 3, 12)]


def test_invalid_yaml_tab_has_hint() -> None:
    report = validate_text("brand:\n\tname: Acme\n")
    (p,) = report.problems
    assert (p.message, p.line, p.column) == (
        "invalid YAML: found character '\\t' that cannot start any token",
        2,
        1,
    )
    assert "tabs" in p.hint


def test_duplicate_key() -> None:
    text = "brand:\n  name: A\n  name: B\n"
    assert check(text) == [
        (
            "error",
            'invalid YAML: found duplicate key "name" with value "B" (original value: "A") '
            "(while constructing a mapping started at line 2, column 3)",
            3,
            3,
        )
    ]


def test_top_level_list() -> None:
    assert check("- a\n- b\n") == [
        (
            "error",
            "the document must be a mapping of sections (brand:, audience:, pillars:, …), not a list",
            1,
            1,
        )
    ]


def test_missing_brand() -> None:
    assert errors("version: 1\npillars: []\n") == [("missing required key 'brand' at the top level", 1, 1)]


# -------------------------------------------------------------------------------------------- types, keys


def test_wrong_type_number() -> None:
    assert errors(doc(replace={26: "    weight: sixty"})) == [
        ("pillars[0].weight must be a number, got text 'sixty'", 26, 13)
    ]


def test_wrong_type_list_for_integer() -> None:
    assert errors(doc(replace={19: "      min_posts_per_week: [2]"})) == [
        ("schedule.networks.instagram.min_posts_per_week must be a whole number, got a list", 19, 27)
    ]


def test_wrong_type_list_for_text() -> None:
    assert errors(doc(replace={3: "  name: [Acme]"})) == [("brand.name must be text, got a list", 3, 9)]


def test_wrong_type_bad_date() -> None:
    assert errors(doc(replace={10: "      last_reviewed: 2026-13-01"})) == [
        (
            "audience.personas[0].last_reviewed must be a date (YYYY-MM-DD), got text '2026-13-01' "
            "(month value is outside expected range of 1-12)",
            10,
            22,
        )
    ]


def test_unknown_key_with_suggestion() -> None:
    assert errors(doc(replace={4: "  timezon: Europe/Madrid"})) == [
        ("unknown key 'timezon' in brand; did you mean 'timezone'?", 4, 3)
    ]


def test_unknown_top_level_key_with_suggestion() -> None:
    problems = errors(doc(replace={23: "pilars:"}))
    assert ("unknown key 'pilars' at the top level; did you mean 'pillars'?", 23, 1) in problems


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    report = validate_text(doc(after={26: "    colour: red"}), today=TODAY)
    (p,) = report.errors
    assert (p.message, p.line, p.column, p.key) == ("unknown key 'colour' in pillars[0]", 27, 5, "pillars[0].colour")
    assert p.hint == "Allowed keys: id, name, description, weight, keywords, hashtags"


def test_missing_required_key_in_list_item() -> None:
    assert errors(doc(delete=(25,))) == [("missing required key 'name' in pillars[0]", 24, 5)]


def test_literal_with_suggestion() -> None:
    assert errors(doc(replace={33: "    goal: engagment"})) == [
        (
            "tactics[0].goal: 'engagment' is not one of awareness, reach, engagement, traffic, conversions, "
            "community, loyalty, leads; did you mean 'engagement'?",
            33,
            11,
        )
    ]


def test_weekday_key_with_suggestion() -> None:
    assert errors(doc(replace={21: '        monday: ["09:00"]'})) == [
        (
            "'monday' is not allowed as a key of schedule.networks.instagram.slots; "
            "expected one of mon, tue, wed, thu, fri, sat, sun; did you mean 'mon'?",
            21,
            9,
        )
    ]


def test_bad_slot_time() -> None:
    assert errors(doc(replace={22: '        thu: ["6pm"]'})) == [
        ("slot '6pm' on thu is not a 24-hour HH:MM time", 21, 9)
    ]


def test_invalid_id() -> None:
    report = validate_text(doc(replace={27: "  - id: Top Tips"}), today=TODAY)
    problems = [(p.message, p.line, p.column, p.hint) for p in report.errors]
    assert problems[0] == (
        "id 'Top Tips' is not a valid id: use lower-case letters, digits, '-' and '_'",
        27,
        9,
        "e.g. 'top-tips'",
    )


def test_empty_value_takes_the_default() -> None:
    # `interests:` with nothing after it is an empty list, not an error.
    assert check(doc(after={9: "      interests:"})) == []


# ------------------------------------------------------------------------------------- time zone, RRULE


def test_invalid_time_zone() -> None:
    assert errors(doc(replace={4: "  timezone: Europe/Madird"})) == [
        ("unknown time zone 'Europe/Madird'; did you mean 'Europe/Madrid'?", 4, 13)
    ]


def test_invalid_time_zone_without_suggestion() -> None:
    assert errors(doc(replace={4: "  timezone: Mars/Olympus"})) == [("unknown time zone 'Mars/Olympus'", 4, 13)]


def test_invalid_rrule_freq() -> None:
    assert errors(doc(replace={34: "    rrule: FREQ=MONTLY;BYDAY=1FR"})) == [
        (
            "invalid RRULE 'FREQ=MONTLY;BYDAY=1FR': FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, "
            "MINUTELY, SECONDLY; did you mean 'MONTHLY'?",
            34,
            12,
        )
    ]


def test_invalid_rrule_without_freq() -> None:
    assert errors(doc(replace={34: "    rrule: BYDAY=1FR"})) == [
        ("invalid RRULE 'BYDAY=1FR': FREQ is missing (e.g. FREQ=MONTHLY;BYDAY=1FR)", 34, 12)
    ]


def test_invalid_rrule_part() -> None:
    (message, line, col), *_ = errors(doc(replace={34: "    rrule: FREQ=WEEKLY;BYDAY=XX"}))
    assert message.startswith("invalid RRULE 'FREQ=WEEKLY;BYDAY=XX': ")
    assert (line, col) == (34, 12)


# ---------------------------------------------------------------------------------- cross-document rules


def test_weights_sum_to_95() -> None:
    report = validate_text(doc(replace={29: "    weight: 35"}), today=TODAY)
    (p,) = report.problems
    assert (p.level, p.message, p.line, p.column, p.code) == (
        "error",
        "pillar weights sum to 95, not 100",
        23,
        1,
        "weights",
    )
    assert report.strategy is None


def test_weights_fractional_sum() -> None:
    assert errors(doc(replace={26: "    weight: 59.5"})) == [("pillar weights sum to 99.5, not 100", 23, 1)]


def test_misspelt_pillar_reference() -> None:
    assert errors(doc(replace={36: "    pillars: [brnd]"})) == [
        ("unknown pillar 'brnd'; did you mean 'brand'?", 36, 15)
    ]


def test_dangling_kpi_reference() -> None:
    report = validate_text(doc(replace={37: "    kpis: [sales]"}), today=TODAY)
    (p,) = report.problems
    assert (p.message, p.line, p.column, p.hint) == ("unknown KPI 'sales'", 37, 12, "Defined KPIs: er")


def test_misspelt_persona_reference() -> None:
    assert errors(doc(replace={15: "    personas: [anna]"})) == [
        ("unknown persona 'anna'; did you mean 'ana'?", 15, 16)
    ]


def test_misspelt_tactic_reference_also_leaves_a_gap() -> None:
    assert check(doc(replace={46: "    tactic: givaway"})) == [
        ("warning", "no example post for tactic 'giveaway'", 38, 1),
        ("error", "unknown tactic 'givaway'; did you mean 'giveaway'?", 46, 13),
    ]


def test_network_outside_the_ecosystem() -> None:
    assert errors(doc(replace={45: "  - network: tiktok"})) == [("network 'tiktok' is not in the ecosystem", 45, 14)]


def test_unknown_network_in_the_ecosystem() -> None:
    problems = errors(doc(replace={13: "  - network: instagam"}))
    assert problems[0] == ("unknown network 'instagam'; did you mean 'instagram'?", 13, 14)


def test_misspelt_network_in_a_kpi() -> None:
    assert errors(doc(replace={51: "    network: instagarm"})) == [
        ("unknown network 'instagarm'; did you mean 'instagram'?", 51, 14)
    ]


def test_duplicate_pillar_id() -> None:
    problems = errors(doc(replace={27: "  - id: brand"}))
    assert ("duplicate pillar id 'brand' (first defined on line 24)", 27, 9) in problems
    assert ("unknown pillar 'tips'; did you mean 'brand'?", 43, 13) not in problems  # no close match: no suggestion
    assert ("unknown pillar 'tips'", 43, 13) in problems


def test_network_without_role() -> None:
    assert errors(doc(delete=(14,))) == [("network 'instagram' has no role", 13, 5)]


def test_network_without_schedule() -> None:
    text = doc(after={15: "  - network: facebook\n    role: news"})
    assert errors(text) == [("network 'facebook' has no schedule", 16, 14)]


def test_schedule_for_network_outside_ecosystem() -> None:
    text = doc(after={22: "    tiktok:\n      min_posts_per_week: 0"})
    assert errors(text) == [("schedule for 'tiktok', which is not in the ecosystem", 23, 5)]


def test_slots_below_minimum() -> None:
    assert errors(doc(replace={19: "      min_posts_per_week: 3"})) == [
        ("instagram has 2 slots a week, fewer than its minimum of 3 posts a week", 20, 7)
    ]


def test_example_without_pillar_or_tactic() -> None:
    report = validate_text(doc(delete=(40,)), today=TODAY)
    msgs = [(p.level, p.message, p.line, p.column) for p in report.problems]
    assert ("error", "example has neither a pillar nor a tactic", 39, 5) in msgs
    assert ("warning", "no example post for pillar 'brand' on instagram", 38, 1) in msgs


# -------------------------------------------------------------------------------------------- warnings


def test_missing_example_cell_is_a_warning() -> None:
    report = validate_text(doc(delete=(42, 43, 44)), today=TODAY)
    assert [(p.level, p.message, p.line, p.column) for p in report.problems] == [
        ("warning", "no example post for pillar 'tips' on instagram", 38, 1)
    ]
    assert report.ok and report.strategy is not None  # warnings do not fail validation
    assert report.summary() == "valid with 1 warning"


def test_missing_tactic_example_is_a_warning() -> None:
    assert check(doc(delete=(45, 46, 47))) == [("warning", "no example post for tactic 'giveaway'", 38, 1)]


def test_persona_past_its_review_date() -> None:
    # 2026-01-01 + 90 days = 2026-04-01; on 2026-04-01 it is due, not yet past.
    assert check(BASE, today=dt.date(2026, 4, 1)) == []
    assert check(BASE, today=dt.date(2026, 4, 2)) == [
        (
            "warning",
            "persona 'ana' is past its review date 2026-04-01 (last reviewed 2026-01-01, every 90 days)",
            10,
            22,
        )
    ]


def test_persona_never_reviewed() -> None:
    assert check(doc(delete=(10,))) == [("warning", "persona 'ana' has never been reviewed", 7, 7)]


# ------------------------------------------------------------------------------------ report and loading


def test_report_json_and_lines() -> None:
    report = validate_text(doc(replace={29: "    weight: 35"}), source="s.yaml", today=TODAY)
    assert report.to_dict() == {
        "source": "s.yaml",
        "valid": False,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "level": "error",
                "message": "pillar weights sum to 95, not 100",
                "line": 23,
                "column": 1,
                "path": "pillars",
                "code": "weights",
                "hint": "Change the weights so they add up to 100 (e.g. 40/30/20/10)",
                "layer": "document",
            }
        ],
    }
    assert report.lines() == [
        "s.yaml:23:1: error: pillar weights sum to 95, not 100 [pillars] — "
        "Change the weights so they add up to 100 (e.g. 40/30/20/10)"
    ]


def test_problems_are_sorted_by_position() -> None:
    report = validate_text(doc(replace={4: "  timezone: Nowhere/City", 29: "    weight: 35"}), today=TODAY)
    assert [(p.line, p.column) for p in report.problems] == [(4, 13), (23, 1)]
    assert isinstance(report.problems[0], Problem)


def test_load_strategy_raises_at_first_error(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(doc(replace={4: "  timezone: Nowhere/City", 29: "    weight: 35"}), encoding="utf-8")
    with pytest.raises(StrategyError) as info:
        load_strategy(path, today=TODAY, strict=True)
    err = info.value
    assert err.where == f"{path}:4:13"
    assert err.what == "unknown time zone 'Nowhere/City' (at brand.timezone)"
    assert err.hint == "1 more error: run `signalboost validate` to see them all"
    with pytest.raises(StrategyError) as info:
        load_strategy(path, today=TODAY)  # lenient: only the structural error counts
    assert (info.value.where, info.value.hint) == (
        f"{path}:4:13",
        "Fix it in strategy.yaml; `signalboost validate` checks the file",  # a lone error still says what to do
    )


def test_lenient_load_accepts_rule_errors_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(doc(replace={29: "    weight: 35", 36: "    pillars: [brnd]"}), encoding="utf-8")
    strategy = load_strategy(path, today=TODAY)
    assert [p.weight for p in strategy.pillars] == [60, 35]
    with pytest.raises(StrategyError) as info:
        load_strategy(path, today=TODAY, strict=True)
    assert info.value.where == f"{path}:23:1"
    assert info.value.what == "pillar weights sum to 95, not 100 (at pillars)"
    assert info.value.hint == (
        "Change the weights so they add up to 100 (e.g. 40/30/20/10); "
        "1 more error: run `signalboost validate` to see them all"
    )


def test_load_strategy_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text("brand:\n  name: Acme\n   timezone: UTC\n", encoding="utf-8")
    with pytest.raises(StrategyError) as info:
        load_strategy(path)
    assert info.value.where == f"{path}:3:12"
    assert info.value.what == "invalid YAML: mapping values are not allowed here"


def test_load_strategy_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StrategyError) as info:
        load_strategy(tmp_path / "nope.yaml")
    assert info.value.what == "cannot read the file: No such file or directory"


def test_load_strategy_valid_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(BASE, encoding="utf-8")
    strategy = load_strategy(path, today=dt.date(2030, 1, 1))  # persona overdue: a warning only
    assert [p.id for p in strategy.pillars] == ["brand", "tips"]
    assert strategy.pillar_weights() == {"brand": 0.6, "tips": 0.4}


def test_more_wrong_shapes() -> None:
    assert errors("version: 2\nbrand:\n  name: A\n") == [("version: the number 2 is not one of 1", 1, 10)]
    assert errors("brand: Acme\n") == [("brand must be a mapping (key: value), got text 'Acme'", 1, 8)]
    assert errors(doc(replace={24: "  brand: 60"}, delete=(25, 26, 27, 28, 29)))[0] == (
        "pillars must be a list, got a mapping",
        24,
        3,
    )
    assert errors(doc(replace={31: "  - giveaway"}, delete=tuple(range(32, 38))))[0] == (
        "tactics[0] must be a mapping (key: value), got text 'giveaway'",
        31,
        5,
    )


def test_boolean_is_not_a_number() -> None:
    assert errors(doc(replace={26: "    weight: true"})) == [("weight must be a number, not true", 26, 13)]


def test_one_post_minimum_is_singular() -> None:
    text = doc(replace={19: "      min_posts_per_week: 1"}, delete=(20, 21, 22))
    assert errors(text) == [
        ("instagram has 0 slots a week, fewer than its minimum of 1 post a week", 19, 27)
    ]  # at the value


def test_unknown_format_is_a_warning() -> None:
    text = doc(replace={15: "    personas: [ana]\n    formats: [photo, reels]"}, after={41: "    format: phot"})
    assert check(text) == [
        ("warning", "unknown format 'reels'; did you mean 'reel'?", 16, 22),
        ("warning", "unknown format 'phot'; did you mean 'photo'?", 43, 13),
    ]
