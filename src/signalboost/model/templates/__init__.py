"""Starter strategy documents (``signalboost init --template NAME [--lang nb]``), each complete and valid.

The YAML files beside this module carry comments that explain every section to a first-time user. Written into a
workspace, their review dates are set to the day they are written, so a fresh workspace has no overdue persona.

Each template exists in English (beside this module) and in Norwegian bokmål (``nb/``): the Norwegian ones are
written for a Norwegian team — Norwegian personas, places, tactics and example posts, comments in Norwegian — not
translated word by word. Field names and fixed values (``goal: engagement``, network ids) are the same in both.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from signalboost.errors import StrategyError, UsageError
from signalboost.i18n import L_

TEMPLATES: tuple[str, ...] = ("clothing-store", "cosmetics", "cafe", "b2b-saas", "blank")
"""Template names, in the order ``signalboost init --help`` lists them."""

LANGUAGES: tuple[str, ...] = ("en", "nb")
"""Languages every template is written in (``en``: beside this module; ``nb``: in ``nb/``)."""

DESCRIPTIONS: dict[str, str] = {
    "clothing-store": "the method's own example: pillars brand/fashion/beauty/wellness, a monthly giveaway",
    "cosmetics": "a cosmetics brand on Facebook, Instagram and YouTube (used by `signalboost demo`)",
    "cafe": "a neighbourhood cafe on Instagram and Facebook",
    "b2b-saas": "a business-to-business software company on LinkedIn, X and its blog",
    "blank": "a minimal valid skeleton with guiding comments",
}


def check_template_language(lang: str) -> str:
    """``lang`` as one of :data:`LANGUAGES` (``no``, ``nb-NO``, ``nb_NO`` mean ``nb``); else a ``UsageError``."""
    code = lang.strip().lower().replace("_", "-")
    code = {"no": "nb", "nb-no": "nb", "nob": "nb", "en-gb": "en", "en-us": "en"}.get(code, code)
    if code not in LANGUAGES:
        raise UsageError(
            L_("templates are not written in {lang!r}", lang=lang),
            where="--lang",
            hint=L_("Choose one of: {choices} (nb = Norwegian bokmål)", choices=", ".join(LANGUAGES)),
        )
    return code


def template_text(name: str, lang: str = "en") -> str:
    """The YAML text of template ``name`` in language ``lang`` exactly as shipped."""
    if name not in TEMPLATES:
        from signalboost.model.suggest import did_you_mean

        raise UsageError(
            L_("unknown template {name!r}{did_you_mean}", name=name, did_you_mean=did_you_mean(name, TEMPLATES)),
            where="--template",
            hint=L_("Choose one of: {choices}", choices=", ".join(TEMPLATES)),
        )
    code = check_template_language(lang)
    folder = resources.files(__name__)
    entry = folder.joinpath(f"{name}.yaml") if code == "en" else folder.joinpath(code, f"{name}.yaml")
    if not entry.is_file():
        raise UsageError(
            L_("the {name} template is not written in {code} yet", name=name, code=code),
            where="--template",
            hint=L_(
                "Use --lang en, or one of the {code} templates: {choices}",
                code=code,
                choices=", ".join(available(code)),
            ),
        )
    return entry.read_text(encoding="utf-8")


def available(lang: str) -> list[str]:
    """The templates written in ``lang``."""
    code = check_template_language(lang)
    folder = resources.files(__name__) if code == "en" else resources.files(__name__).joinpath(code)
    return [t for t in TEMPLATES if folder.joinpath(f"{t}.yaml").is_file()]


def render_template(name: str, *, today: dt.date | None = None, brand_name: str | None = None, lang: str = "en") -> str:
    """Template ``name`` in ``lang`` with its review dates set to ``today`` and, if given, the brand's name replaced.

    Edits go through :class:`~signalboost.model.io.StrategyDocument`, so every comment stays where it was.
    """
    from signalboost.model.io import StrategyDocument
    from signalboost.model.strategy import Brand

    doc = StrategyDocument.loads(template_text(name, lang), source=f"template {name} ({lang})")
    day = today or dt.date.today()
    for i, persona in enumerate(doc.get(("audience", "personas"))):
        if "last_reviewed" in persona:
            doc.set(("audience", "personas", i, "last_reviewed"), day)
    if "last_reviewed" in doc.get(("schedule",)):
        doc.set(("schedule", "last_reviewed"), day)
    if lang != "en" and "language" in Brand.model_fields and "language" not in doc.get(("brand",)):
        doc.set(("brand", "language"), check_template_language(lang))  # the workspace reads and reports in it
    if brand_name is not None:
        if not brand_name.strip():
            raise UsageError(
                L_("the brand name is empty"), where="--name", hint=L_("Pass the brand's name, e.g. --name Acme")
            )
        doc.set(("brand", "name"), brand_name.strip())
    return doc.dumps()


def write_template(
    name: str,
    path: Path,
    *,
    force: bool = False,
    today: dt.date | None = None,
    brand_name: str | None = None,
    lang: str = "en",
) -> Path:
    """Write template ``name`` in ``lang`` to ``path`` (a ``strategy.yaml``); refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise StrategyError(
            L_("a strategy document already exists"),
            where=str(path),
            hint=L_("Keep it, or pass --force to replace it with the template"),
        )
    text = render_template(name, today=today, brand_name=brand_name, lang=lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
