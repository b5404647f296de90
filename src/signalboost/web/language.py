"""The dashboard's language, per request: ``?lang=nb`` (remembered in a cookie), else the cookie, else the
strategy's ``brand.language``, else English (:mod:`signalboost.i18n`).

A pure ASGI middleware: the language is set in the request's context (a ``ContextVar``), so the page, its views
(also those run in a thread) and the error pages all speak it, and it is reset when the request ends. An unknown
``?lang=`` is ignored (the page stays in the language it had), never an error page.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from signalboost import i18n
from signalboost.errors import UsageError
from signalboost.model.io import peek_language

LANG_COOKIE = "sb_lang"
#: a year: the choice is a preference, not a secret (not HttpOnly-relevant, but set so anyway)
COOKIE_MAX_AGE = 365 * 24 * 3600


def _supported(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return i18n.check_language(value)
    except UsageError:
        return None


def request_language(scope: Scope, strategy_path: Path) -> tuple[str, str | None]:
    """``(language, chosen)``: the language of this request, and the code given by ``?lang=`` (to remember)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = _supported((query.get("lang") or [None])[-1])
    cookie = None
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: no preference
                continue
            if LANG_COOKIE in jar:
                cookie = _supported(jar[LANG_COOKIE].value)
    return chosen or cookie or peek_language(strategy_path) or i18n.DEFAULT, chosen


class LanguageMiddleware:
    """Set the request's language (module doc) and remember a ``?lang=`` choice in the ``sb_lang`` cookie."""

    def __init__(self, app: ASGIApp, *, strategy_path: Path) -> None:
        self.app = app
        self.strategy_path = strategy_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang, chosen = request_language(scope, self.strategy_path)

        async def send_with_cookie(message: Message) -> None:
            if chosen and message["type"] == "http.response.start":
                cookie = f"{LANG_COOKIE}={chosen}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode("latin-1"))]
            await send(message)

        with i18n.use_language(lang):
            await self.app(scope, receive, send_with_cookie)
