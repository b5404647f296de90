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
