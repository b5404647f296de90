"""The JSON Schema of ``strategy.yaml`` (``signalboost schema``), for editor completion and external checks."""

from __future__ import annotations

from typing import Any

from signalboost.model.strategy import Strategy

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def strategy_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the strategy document, generated from the pydantic model.

    Cross-document rules (weights summing to 100, references resolving) cannot be expressed in JSON Schema;
    ``signalboost validate`` checks them.
    """
    schema = Strategy.model_json_schema(mode="validation")
    out: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "title": "Signalboost strategy document (strategy.yaml)"}
    out.update({k: v for k, v in schema.items() if k != "title"})
    return out
