"""Starter strategy documents (``signalboost init --template NAME``), each complete and valid.

The YAML files beside this module carry comments that explain every section to a first-time user. Written into a
workspace, their review dates are set to the day they are written, so a fresh workspace has no overdue persona.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from signalboost.errors import StrategyError, UsageError

TEMPLATES: tuple[str, ...] = ("clothing-store", "cosmetics", "cafe", "b2b-saas", "blank")
"""Template names, in the order ``signalboost init --help`` lists them."""

DESCRIPTIONS: dict[str, str] = {
    "clothing-store": "the method's own example: pillars brand/fashion/beauty/wellness, a monthly giveaway",
    "cosmetics": "a cosmetics brand on Facebook, Instagram and YouTube (used by `signalboost demo`)",
    "cafe": "a neighbourhood cafe on Instagram and Facebook",
    "b2b-saas": "a business-to-business software company on LinkedIn, X and its blog",
    "blank": "a minimal valid skeleton with guiding comments",
}


def template_text(name: str) -> str:
    """The YAML text of template ``name`` exactly as shipped."""
    if name not in TEMPLATES:
        from signalboost.model.suggest import did_you_mean

        raise UsageError(
            f"unknown template {name!r}{did_you_mean(name, TEMPLATES)}",
            where="--template",
            hint=f"Choose one of: {', '.join(TEMPLATES)}",
        )
    return resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def render_template(name: str, *, today: dt.date | None = None, brand_name: str | None = None) -> str:
    """Template ``name`` with its review dates set to ``today`` and, if given, the brand's name replaced.

    Edits go through :class:`~signalboost.model.io.StrategyDocument`, so every comment stays where it was.
    """
    from signalboost.model.io import StrategyDocument

    doc = StrategyDocument.loads(template_text(name), source=f"template {name}")
    day = today or dt.date.today()
    for i, persona in enumerate(doc.get(("audience", "personas"))):
        if "last_reviewed" in persona:
            doc.set(("audience", "personas", i, "last_reviewed"), day)
    if "last_reviewed" in doc.get(("schedule",)):
        doc.set(("schedule", "last_reviewed"), day)
    if brand_name is not None:
        if not brand_name.strip():
            raise UsageError("the brand name is empty", where="--name", hint="Pass the brand's name, e.g. --name Acme")
        doc.set(("brand", "name"), brand_name.strip())
    return doc.dumps()


def write_template(
    name: str,
    path: Path,
    *,
    force: bool = False,
    today: dt.date | None = None,
    brand_name: str | None = None,
) -> Path:
    """Write template ``name`` to ``path`` (a ``strategy.yaml``); refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise StrategyError(
            "a strategy document already exists",
            where=str(path),
            hint="Keep it, or pass --force to replace it with the template",
        )
    text = render_template(name, today=today, brand_name=brand_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
