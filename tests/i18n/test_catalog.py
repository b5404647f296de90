"""The catalogs: every string a person reads is in them, and every entry has its Norwegian translation.

The strings are extracted from the sources now (Babel's extractors, the same `make i18n-update` runs), so a
string added to the code or a template without a translation fails here, not in front of a Norwegian team."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import signalboost
from signalboost import i18n

PACKAGE = Path(signalboost.__file__).resolve().parent
ROOT = PACKAGE.parents[1]
LOCALE = PACKAGE / "locale"


def _extracted() -> dict[str | tuple[str, ...], str]:
    """msgid -> first location, from the sources as they are now, with babel.cfg's method map and keywords (the
    ``L_``/``Ln_`` of error messages among them), as ``make i18n-update`` extracts them."""
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        mapping, options = parse_mapping_cfg(cfg)
    prefix = "src/signalboost/"
    method_map = [(pattern.removeprefix(prefix), method) for pattern, method in mapping]
    options_map = {pattern.removeprefix(prefix): opts for pattern, opts in options.items()}
    assert ("**.py", "python") in method_map
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, options_map=options_map
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, f"{filename}:{lineno}")
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    return read_po(io.BytesIO((LOCALE / lang / "LC_MESSAGES" / "signalboost.po").read_bytes()), locale=lang)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[a-zA-Z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%\([a-z_]+\)s", text))


def test_every_string_in_the_sources_is_in_the_catalog() -> None:
    extracted = _extracted()
    assert len(extracted) > 150  # the report alone has more; an extractor that finds nothing must not pass
    catalog = _catalog("nb")
    known = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    missing = [f"{where}: {msgid!r}" for msgid, where in extracted.items() if msgid not in known]
    assert not missing, "not in the catalog (run `make i18n-update` and translate):\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", [code for code in i18n.languages() if code != i18n.DEFAULT])
def test_every_catalog_entry_is_translated_with_the_same_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    problems = []
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        if m.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"untranslated or fuzzy: {m.id!r}")
            continue
        for s in strings:
            if _placeholders(s) != _placeholders(ids[0]):
                problems.append(f"placeholders differ: {ids[0]!r} -> {s!r}")
    assert len(catalog) > 150
    assert not problems, "\n".join(problems)


def test_the_catalog_compiles_and_the_compiled_text_is_the_translation() -> None:
    mo = i18n.compile_po((LOCALE / "nb" / "LC_MESSAGES" / "signalboost.po").read_bytes(), "nb")
    import gettext

    t = gettext.GNUTranslations(io.BytesIO(mo))
    assert t.gettext("KPIs against their targets") == "KPI-er mot målene"
    assert t.ngettext("{n} post too few", "{n} posts too few", 1) == "{n} innlegg for lite"
    assert t.gettext("a string nobody wrote") == "a string nobody wrote"


def test_adding_a_language_is_adding_its_catalog() -> None:
    """The languages are the catalog folders: nothing else lists them (docs/languages.md)."""
    folders = sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/signalboost.po"))
    assert i18n.languages() == ("en", *folders)
    assert "nb" in folders


# -------------------------------------------------------------------------- user-facing text in the templates

#: text between tags that is not a word a person reads: CSS/JS, entities, punctuation, numbers, Markdown syntax
_NOT_WORDS = re.compile(r"<style.*?</style>|<script.*?</script>|<code>.*?</code>|<[^>]*>|&[a-z]+;|&#\d+;", re.S)
#: names, not words: never translated
NAMES = {"Signalboost", "KiB"}
TEMPLATES = sorted((PACKAGE / "report" / "templates").glob("*.j2")) + sorted(
    (PACKAGE / "web" / "templates").glob("*.html")
)


def untranslated_text(source: str) -> list[str]:
    """Words in a Jinja template's literal text (outside ``{{ }}``, ``{% %}``, tags, CSS): text not in the catalog.

    Jinja's own lexer finds the literal text (``data`` tokens), so a ``{{ }}`` inside an attribute is handled."""
    import jinja2

    env = i18n.jinja_install(jinja2.Environment(trim_blocks=True, lstrip_blocks=True))
    literal = "".join(value if kind == "data" else "\x00" for _line, kind, value in env.lex(source))
    text = _NOT_WORDS.sub(" ", literal)
    return [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in NAMES]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_text_outside_gettext(template: Path) -> None:
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


def test_the_template_check_finds_a_forgotten_string() -> None:
    source = (
        '<style>h1 { color: red; }</style><h1>{{ _("Report") }}</h1><p class="x">Best times</p>{{ x }} &mdash;'
        "<code>signalboost doc</code> Signalboost"
    )
    assert untranslated_text(source) == ["Best", "times"]
