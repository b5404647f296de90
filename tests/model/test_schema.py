"""The JSON Schema printed by `signalboost schema`."""

from __future__ import annotations

from signalboost.model.schema import strategy_schema


def test_schema_describes_the_document() -> None:
    schema = strategy_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["brand"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) >= {
        "brand",
        "audience",
        "personality",
        "ecosystem",
        "schedule",
        "pillars",
        "tactics",
        "examples",
        "kpis",
    }
    pillar = schema["$defs"]["Pillar"]
    assert pillar["properties"]["weight"]["maximum"] == 100
    assert "sum to 100" in pillar["properties"]["weight"]["description"]


def test_template_validates_against_schema() -> None:
    jsonschema = __import__("pytest").importorskip("jsonschema")
    import datetime as dt
    import json

    from signalboost.model.templates import template_text
    from signalboost.model.validate import validate_text

    report = validate_text(template_text("cosmetics"), today=dt.date(2026, 1, 2))
    assert report.strategy is not None
    data = json.loads(report.strategy.model_dump_json())
    jsonschema.validate(data, strategy_schema())


def test_schema_rejects_what_validate_rejects() -> None:
    jsonschema = __import__("pytest").importorskip("jsonschema")
    import pytest

    base = {"brand": {"name": "Acme"}, "pillars": [{"id": "a", "name": "A", "weight": 100}]}
    jsonschema.validate(base, strategy_schema())
    for bad in (
        {"brand": {"name": "Acme", "timezon": "UTC"}},  # unknown key
        {"brand": {"name": "Acme"}, "pillars": [{"id": "a", "name": "A", "weight": 101}]},  # weight above 100
        {"brand": {"name": "Acme"}, "pillars": [{"id": "Top Tips", "name": "A", "weight": 1}]},  # id pattern
        {"brand": {"name": "Acme"}, "tactics": [{"id": "g", "name": "G", "goal": "fame", "rrule": "FREQ=DAILY"}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, strategy_schema())
