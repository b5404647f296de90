"""The language a person reads Signalboost in: gettext catalogs for words, Babel (CLDR) for numbers and dates.

Languages: ``en`` (the source strings) and ``nb`` (Norwegian bokmål). A catalog is
``signalboost/locale/<lang>/LC_MESSAGES/signalboost.po``; the build compiles it to ``.mo`` (``setup.py``), and a
source checkout without the ``.mo`` compiles the ``.po`` in memory on first use (Babel), so both read the same text.

Which language is active, from strongest to weakest:

1. ``--lang`` on the command line, ``SIGNALBOOST_LANG``, or the dashboard's ``?lang=`` / cookie
   (:func:`set_override`);
2. ``brand.language`` in the workspace's ``strategy.yaml`` (:func:`activate`);
3. English.

The active language lives in a :class:`contextvars.ContextVar`, so each dashboard request has its own.
Machine-readable output (JSON keys, CSV headers, identifiers such as ``er_reach``) is never translated.

Library use::

    from signalboost.i18n import _, format_number, use_language
    with use_language("nb"):
        _("posts")               # 'innlegg'
        format_number(1234.5)    # '1 234,5' (CLDR's group separator for nb is a no-break space)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import io
import os
import string
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final, Literal

from signalboost.errors import UsageError

DOMAIN: Final = "signalboost"
#: the source language of the strings (it needs no catalog)
DEFAULT: Final = "en"

_override: ContextVar[str | None] = ContextVar("signalboost_lang_override", default=None)
_active: ContextVar[str] = ContextVar("signalboost_lang", default=DEFAULT)


# ---------------------------------------------------------------------------------------------- the setting


def check_language(value: str, *, where: str | None = None) -> str:
    """``value`` as a supported language code (``nb``, ``en``; ``no``/``nb-NO``/``nb_NO`` mean ``nb``).

    Raises ``UsageError`` naming ``where`` and the supported languages otherwise."""
    code = str(value).strip().replace("-", "_").lower()
    code = ALIASES.get(code, code)
    if code not in languages():
        raise UsageError(
            L_("unknown language {value!r}", value=value),
            where=where,
            hint=L_("Use one of: {choices} (docs/languages.md says how to add one)", choices=", ".join(languages())),
        )
    return code


#: other ways to write a supported code (Norwegian is often written ``no``; regions are ignored)
ALIASES: Final[dict[str, str]] = {"no": "nb", "nob": "nb", "nb_no": "nb", "en_us": "en", "en_gb": "en", "eng": "en"}


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The supported languages: English, then every language with a catalog under ``signalboost/locale/``.

    Adding a language is adding its catalog (docs/languages.md): nothing else lists them."""
    root = resources.files("signalboost").joinpath("locale")
    found = sorted(
        d.name
        for d in root.iterdir()
        if d.is_dir() and d.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file() and d.name != DEFAULT
    )
    return (DEFAULT, *found)


def language_name(code: str) -> str:
    """The language's own name from CLDR (``English``, ``norsk bokmål``), for a language picker."""
    from babel import Locale

    return str(Locale.parse(code).get_display_name(code) or code)


def set_override(lang: str | None) -> None:
    """Make ``lang`` win over every strategy's ``brand.language`` (``--lang``, the dashboard's choice)."""
    code = check_language(lang, where="--lang") if lang else None
    _override.set(code)
    _active.set(code or DEFAULT)


def override() -> str | None:
    """The language chosen on the command line or in the dashboard, if any."""
    return _override.get()


def resolve(strategy_language: str | None = None) -> str:
    """The language to use: the override, else the strategy's ``brand.language``, else English."""
    return _override.get() or strategy_language or DEFAULT


def activate(strategy_language: str | None = None) -> str:
    """Make :func:`resolve` (``strategy_language``) the active language; return it."""
    code = resolve(strategy_language)
    _active.set(code)
    return code


def language() -> str:
    """The active language code."""
    return _active.get()


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Within the block, ``lang`` is the active language (the previous one is restored after)."""
    token = _active.set(check_language(lang))
    try:
        yield token.var.get()
    finally:
        _active.reset(token)


def babel_locale(lang: str | None = None) -> str:
    """The Babel (CLDR) locale of ``lang`` (default: the active language): the language code itself."""
    return lang or language()


# ---------------------------------------------------------------------------------------------- catalogs


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``: its ``.mo`` if the build made one, else its ``.po`` compiled in memory.

    English is the source language: its catalog is the identity (``NullTranslations``)."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    folder = resources.files("signalboost").joinpath("locale", lang, "LC_MESSAGES")
    mo = folder.joinpath(f"{DOMAIN}.mo")
    po = folder.joinpath(f"{DOMAIN}.po")
    if mo.is_file() and not _stale(mo, po):
        return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    if not po.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_po(po.read_bytes(), lang)))


def _stale(mo: Any, po: Any) -> bool:
    """A ``.mo`` older than its ``.po`` (compiled before the last edit of the catalog) is not used."""
    try:
        return bool(po.is_file() and os.stat(str(po)).st_mtime > os.stat(str(mo)).st_mtime)
    except OSError:  # not on a file system (a zip): trust the build
        return False


def compile_po(po_bytes: bytes, lang: str) -> bytes:
    """A ``.po`` catalog compiled to ``.mo`` bytes (Babel's reader and writer; fuzzy entries are left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def gettext_(message: str) -> str:
    """``message`` in the active language (itself when the catalog has no translation)."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n`` in the active language (CLDR plural rules via the catalog)."""
    return translations(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context`` (a word that translates differently by where it is used)."""
    return translations(language()).pgettext(context, message)


_ = gettext_


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (module constants; translate at use)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for the catalog without translating it now (translate with
    :func:`pgettext` at use); keyword ``NP_:1c,2`` in babel.cfg."""
    return message


# ---------------------------------------------------------------------------------------------- lazy messages


class LazyText(str):
    """A message translated when it is shown, not when it is made: what every ``SignalboostError`` carries.

    As a ``str`` it is the English text (logs, ``==`` in tests, string operations all see English);
    :meth:`render` gives it in a language, and :func:`tr` in the active one. The template's fields are
    ``str.format`` fields named at the call: ``L_("{n} rows in {file}", n=12, file=path.name)``. A number given
    without a conversion is written by Babel in the reader's language (``1,234.5`` / ``1 234,5``; a format spec
    ``.2f``, ``,`` or ``.1%`` says how many decimals); ``{year!s}`` or ``{id!r}`` keep a number as it is
    (years, ports, ids); a date with the spec ``day`` (``{first:day}``) is written by Babel too (``Mar 2, 2026``
    / ``2. mars 2026``), a date without it stays ISO. A field that is itself a ``LazyText`` is rendered in the same
    language.
    docs/CONTRIBUTING.md ("Errors people read") says how an error is written.
    """

    msgid: str
    plural: str | None
    n: int | None
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any], plural: str | None = None, n: int | None = None) -> LazyText:
        english = _render(msgid, plural, n, params, DEFAULT)
        self = super().__new__(cls, english)
        self.msgid, self.plural, self.n, self.params = msgid, plural, n, params
        return self

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the active language); English where the catalog has no entry."""
        code = lang or language()
        return str(self) if code == DEFAULT else _render(self.msgid, self.plural, self.n, self.params, code)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyText, (self.msgid, self.params, self.plural, self.n))


def L_(message: str, /, **params: Any) -> LazyText:
    """``message`` (a ``str.format`` template with named fields) to be translated when it is shown.

    ``pybabel extract`` finds it (keyword ``L_`` in babel.cfg). Use it for every error's ``what`` and ``hint``::

        raise IngestError(L_("{n} rows have no date", n=missing), where=f"{path}:{line}", hint=L_("Fill the dates"))
    """
    return LazyText(message, params)


def Ln_(singular: str, plural: str, n: int, /, **params: Any) -> LazyText:
    """Like :func:`L_` with a plural form chosen by ``n`` (CLDR plural rules via the catalog); ``n`` is also a
    field of the template: ``Ln_("{n} row", "{n} rows", count)``."""
    return LazyText(singular, {"n": n, **params}, plural, n)


def L_join(separator: str, parts: list[str]) -> LazyText:
    """``parts`` joined by ``separator`` (punctuation, not words), each part translated when shown."""
    fields = {f"part{i}": part for i, part in enumerate(parts)}
    return LazyText(separator.join("{" + name + "}" for name in fields), fields)


def tr(text: str | None) -> str:
    """``text`` in the active language when it is a :class:`LazyText`; any other text as it is."""
    if text is None:
        return ""
    return text.render() if isinstance(text, LazyText) else str(text)


class _Formatter(string.Formatter):
    """``str.format`` whose numbers are written by Babel in the language being rendered (see :class:`LazyText`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, LazyText) and conversion is None:
            return value.render(self.lang)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == "day" and isinstance(value, dt.date):  # {first:day}: the reader's date (Mar 2, 2026)
            return format_date(value, "medium")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            spec = format_spec.replace(",", "")
            if spec.endswith("%"):
                digits = spec.removeprefix(".").removesuffix("%")
                return format_percent(value, digits=int(digits or 0))
            if spec in ("", "d", "g") or (spec.startswith(".") and spec.endswith("f")):
                decimals = int(spec[1:-1]) if spec.endswith("f") else (0 if spec == "d" else None)
                return format_number(value, digits=decimals)
        return super().format_field(value, format_spec)


def _render(msgid: str, plural: str | None, n: int | None, params: dict[str, Any], lang: str) -> str:
    catalog = translations(lang)
    template = catalog.ngettext(msgid, plural, n or 0) if plural is not None else catalog.gettext(msgid)
    token = _active.set(lang)
    try:
        try:
            return _Formatter(lang).vformat(template, (), params)
        except (KeyError, IndexError, ValueError):  # a translation with a broken field: the English text
            english = msgid if plural is None or n == 1 else plural
            return _Formatter(lang).vformat(english, (), params)
    finally:
        _active.reset(token)


# ---------------------------------------------------------------------------------------------- formatting


def format_number(value: float | int | None, *, digits: int | None = None, empty: str = "—") -> str:
    """A number in the active locale: ``1,234.5`` (en), ``1 234,5`` (nb). ``None`` is ``empty``.

    ``digits``: exactly that many decimals; otherwise up to three (CLDR's decimal pattern)."""
    if value is None:
        return empty
    from babel.numbers import format_decimal

    if digits is None:
        return str(format_decimal(value, locale=babel_locale()))
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern, locale=babel_locale()))


def format_significant(value: float | int | None, *, digits: int = 3, empty: str = "—") -> str:
    """``value`` to ``digits`` significant digits in the active locale (``0.0123``/``0,0123``; ``1,235``/``1 235``
    at 1,000 and above, where every integer digit is kept)."""
    if value is None:
        return empty
    from babel.numbers import format_decimal

    if value == 0 or abs(value) >= 10 ** (digits - 1):
        return str(format_decimal(round(value), format="#,##0", locale=babel_locale()))
    return str(format_decimal(value, format="@" + "#" * (digits - 1), locale=babel_locale()))


def format_percent(value: float | None, *, digits: int = 0, empty: str = "—", significant: int | None = None) -> str:
    """A share (``0.264``) as a percentage in the active locale with ``digits`` decimals, in the locale's own
    pattern: ``26.40%`` (en), ``26,40 %`` (nb, CLDR ``#,##0 %``). ``significant``: instead of ``digits``, as many
    decimals as give that many significant digits of the percentage, trailing zeros dropped (``0.00123`` →
    ``0.123%``, ``0.264`` → ``26.4%``, ``0.01`` → ``1%`` with 3)."""
    if value is None:
        return empty
    if significant is not None:
        import math

        pct = abs(100 * value)
        digits = 0 if pct == 0 else max(0, significant - 1 - math.floor(math.log10(pct)))
    from babel import Locale
    from babel.numbers import parse_pattern

    locale = Locale.parse(babel_locale())
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (0 if significant is not None else digits, digits)
    return str(pattern.apply(value, locale))


def format_date(value: dt.date | dt.datetime | None, form: str = "medium", *, empty: str = "—") -> str:
    """A date in the active locale: ``Dec 4, 2026`` (en), ``4. des. 2026`` (nb); ``form`` is a CLDR width
    (``short``, ``medium``, ``long``, ``full``) or a CLDR pattern such as ``EEEE d. MMMM``."""
    if value is None:
        return empty
    from babel.dates import format_date as babel_date

    day = value.date() if isinstance(value, dt.datetime) else value
    return str(babel_date(day, format=form, locale=babel_locale()))


def format_datetime(value: dt.datetime | None, form: str = "medium", *, empty: str = "—") -> str:
    """A date and time in the active locale (CLDR width or pattern), in the time zone the value carries."""
    if value is None:
        return empty
    from babel.dates import format_datetime as babel_datetime

    return str(babel_datetime(value, format=form, tzinfo=value.tzinfo, locale=babel_locale()))


def as_when(value: object) -> dt.date | dt.datetime | None:
    """A date or a moment from what a page's data hold: a ``date``/``datetime``, or its ISO text (``2026-12-05``,
    ``2026-12-05T09:35:00+00:00``; what :func:`signalboost.web.wiring.jsonable` writes); None when empty or not a
    date (the caller shows its text as it is)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def format_when(value: object, *, empty: str = "—") -> str:
    """A moment for people in the active locale, in UTC as stored: ``12/5/26, 9:35 AM UTC`` (en),
    ``05.12.2026, 09:35 UTC`` (nb); a naive time is read as UTC, a date alone as :func:`format_date`; text that is
    not a date comes back as it is."""
    when = as_when(value)
    if when is None:
        return str(value) if value else empty
    if not isinstance(when, dt.datetime):
        return format_date(when)
    utc = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    return format_datetime(utc, "short") + " UTC"


def format_day(value: object, form: str = "medium", *, empty: str = "—") -> str:
    """:func:`format_date` of a date, a moment or its ISO text (a moment's day where it carries its time zone: the
    stored UTC day for the workspace's timestamps); text that is not a date comes back as it is."""
    when = as_when(value)
    if when is None:
        return str(value) if value else empty
    return format_date(when, form)


def format_time(value: dt.time | dt.datetime, form: str = "HH:mm") -> str:
    """A time of day in the active locale (24-hour ``HH:mm`` by default, as schedules are written)."""
    from babel.dates import format_time as babel_time

    return str(babel_time(value, format=form, locale=babel_locale()))


def weekday_name(index: int, width: Literal["abbreviated", "narrow", "short", "wide"] = "wide") -> str:
    """Weekday ``index`` (0 = Monday) from CLDR: ``Monday``/``mandag``; ``abbreviated``: ``Mon``/``man.``."""
    from babel.dates import get_day_names

    return str(get_day_names(width, context="format", locale=babel_locale())[index])


def weekday_index(name: str) -> int | None:
    """0–6 for an English weekday name or its three-letter form in any case (``mon``, ``Monday``), else ``None``."""
    key = name.strip().lower()
    for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
        if key in (full, full[:3]):
            return i
    return None


def day_word(value: Any, width: Literal["abbreviated", "wide"] = "abbreviated") -> str:
    """A weekday identifier (``mon``, ``Monday``) as CLDR's name in the active language; other text as it is."""
    index = weekday_index(str(value))
    return str(value) if index is None else weekday_name(index, width)


def month_name(month: int, width: Literal["abbreviated", "narrow", "wide"] = "wide") -> str:
    """The name of ``month`` (1–12) from CLDR (stand-alone form): ``December``/``desember``."""
    from babel.dates import get_month_names

    return str(get_month_names(width, context="stand-alone", locale=babel_locale())[month])


def format_timedelta(value: dt.timedelta, *, add_direction: bool = False, threshold: float = 0.85) -> str:
    """A duration in words from CLDR: ``3 days``/``3 dager``; with ``add_direction`` ``in 3 days``/``om 3 dager``."""
    from babel.dates import format_timedelta as babel_timedelta

    return str(babel_timedelta(value, add_direction=add_direction, threshold=threshold, locale=babel_locale()))


def format_list(items: list[str], style: Literal["standard", "or", "unit"] = "standard") -> str:
    """``a, b and c`` / ``a, b og c`` (CLDR list patterns)."""
    from babel.lists import format_list as babel_list

    return str(babel_list(items, style=style, locale=babel_locale())) if items else ""


def jinja_install(env: Any) -> Any:
    """Add ``jinja2.ext.i18n`` to ``env`` with gettext bound to the active language, and the formatting filters
    (``num``, ``pct``/``share`` for a ratio, ``date`` and ``when`` (with the time) for a date, a moment or their ISO
    text, ``weekday`` for 0–6, ``dayname`` for ``mon``). Returns ``env``."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext_, ngettext, newstyle=True, pgettext=pgettext)
    env.filters["num"] = lambda v, digits=None: format_number(v, digits=digits)
    env.filters["pct"] = lambda v, digits=0: format_percent(v, digits=digits)
    env.filters["date"] = lambda v, form="medium": format_day(v, form)  # a date, a moment or their ISO text
    env.filters["when"] = format_when  # a moment (or its ISO text) with its time, in UTC
    env.filters["weekday"] = lambda i, width="wide": weekday_name(int(i), width)
    env.filters["share"] = lambda v, digits=0: format_percent(v, digits=digits)
    env.filters["dayname"] = day_word
    env.globals["lang"] = language
    return env
