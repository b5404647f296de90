"""The dashboard's application factory: FastAPI + Jinja2, server-rendered, every asset shipped in the package.

``create_app(workspace)`` returns an ASGI app; ``signalboost serve`` runs it with uvicorn. Every page has a JSON
twin (``/influencers`` and ``/influencers.json``) described in the OpenAPI schema at ``/openapi.json``.

Security (docs/security.md): only the host names the server answers to are served, and a cross-site write is
refused (:mod:`signalboost.web.guard`); sessions are signed cookies, a logged-in one also kept in the workspace
database so it can be revoked and expires (:mod:`signalboost.web.sessions`); every form carries a session-bound CSRF
token (see :mod:`signalboost.web.auth`); with ``require_login`` every page but ``/login`` and ``/static`` needs a login;
request bodies are capped (uploads at ``max_upload_bytes``, other requests at 1 MiB); Jinja2 autoescaping is on,
so text from social networks is always escaped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import signalboost
from signalboost.errors import (
    OutreachError,
    SignalboostError,
    StoreError,
    UsageError,
    WebError,
    WorkspaceLockedError,
)
from signalboost.i18n import N_
from signalboost.store.workspace import Workspace
from signalboost.web.auth import SESSION_COOKIE, Session, SessionCodec
from signalboost.web.context import MAX_FORM_BYTES, PageCache, WebContext, WebSettings
from signalboost.web.guard import HostPolicy, ProxyPolicy, SiteGuard, strip_brackets
from signalboost.web.language import LanguageMiddleware
from signalboost.web.session import WebWorkspace
from signalboost.web.sessions import DEFAULT_IDLE, DEFAULT_MAX, SessionStore
from signalboost.web.uploads import JobRegistry
from signalboost.web.wiring import jsonable

HERE = Path(__file__).resolve().parent
PUBLIC_PATHS = ("/login", "/static/", "/healthz")
NAV: tuple[tuple[str, str], ...] = (
    ("/", N_("Overview")),
    ("/strategy", N_("Strategy")),
    ("/calendar", N_("Calendar")),
    ("/analytics", N_("Analytics")),
    ("/influencers", N_("Influencers")),
    ("/audience", N_("Audience")),
    ("/competitors", N_("Competitors")),
    ("/outreach", N_("Outreach")),
    ("/partners", N_("Partners")),
    ("/imports", N_("Imports")),
    ("/connections", N_("Connections")),
)
#: the tables the overview counts, as words (store.queries.table_counts)
TABLE_WORDS = (
    N_("accounts"),
    N_("posts"),
    N_("post metrics"),
    N_("follows"),
    N_("interactions"),
    N_("imports"),
    N_("rejects"),
)
#: values the pages show as words (upload phases, import statuses, validation levels; see the templates' ``_(…)``)
VALUE_WORDS = (N_("queued"), N_("importing"), N_("running"), N_("done"), N_("failed"), N_("error"), N_("warning"))
UPLOAD_PATHS = ("/imports",)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_REFUSED = "this form expired or did not come from this dashboard; reload the page and retry"


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""


class BodyLimit:
    """Refuse request bodies over the limit with 413 (by Content-Length up front, by counting otherwise)."""

    def __init__(self, app: ASGIApp, *, upload_limit: int, form_limit: int = MAX_FORM_BYTES) -> None:
        self.app = app
        self.upload_limit = upload_limit
        self.form_limit = form_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in UPLOAD_PATHS else self.form_limit
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit)
            return
        seen = 0
        state = {"started": False, "exceeded": False, "replaced": False}

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    state["exceeded"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            # A parser may turn BodyTooLarge into its own 400: answer 413 instead, whatever the app says.
            if message["type"] == "http.response.start":
                state["started"] = True
                if state["exceeded"]:
                    state["replaced"] = True
                    await _too_large(send, limit)
                    return
            if state["replaced"]:
                return
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except BodyTooLarge:
            if not state["started"]:
                await _too_large(send, limit)


SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
)
"""Sent with every answer, including those made before the application runs (413, a refused host)."""


async def plain_answer(send: Send, status: int, text: str) -> None:
    """A plain-text answer with the security headers, sent straight through ASGI (outside the application)."""
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": f"Error: {text}".encode()})


async def _too_large(send: Send, limit: int) -> None:
    await plain_answer(send, 413, f"the request is larger than the limit of {limit // (1024 * 1024) or 1} MiB.")


def create_app(
    workspace: Workspace | str | Path,
    *,
    require_login: bool = False,
    max_upload_bytes: int | None = None,
    secret: bytes | None = None,
    bind_host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
    trusted_proxies: Iterable[str] = (),
    secure_cookies: bool = False,
    session_idle_seconds: float = DEFAULT_IDLE,
    session_max_seconds: float = DEFAULT_MAX,
) -> FastAPI:
    """The dashboard for ``workspace``. ``require_login`` is set by ``signalboost serve`` off loopback.

    Requests must name a host the server answers to (``localhost``, ``127.0.0.1``, ``[::1]``, ``bind_host``,
    ``allowed_hosts``; see :mod:`signalboost.web.guard`); ``X-Forwarded-*`` headers count only from
    ``trusted_proxies``."""
    ws = WebWorkspace.wrap(workspace)
    settings = WebSettings(
        require_login=require_login,
        secure_cookies=secure_cookies,
        hosts=HostPolicy.for_bind(bind_host, allowed_hosts),
        proxy=ProxyPolicy(frozenset(strip_brackets(p).lower() for p in trusted_proxies)),
        session_idle_seconds=session_idle_seconds,
        session_max_seconds=session_max_seconds,
    )
    if max_upload_bytes is not None:
        settings.max_upload_bytes = max_upload_bytes
    if secret is not None:
        settings.secret = secret
    ctx = WebContext(
        workspace=ws,
        settings=settings,
        codec=SessionCodec(settings.secret, max_age=session_max_seconds),
        cache=PageCache(ws),
        sessions=SessionStore(ws, idle_seconds=session_idle_seconds, max_seconds=session_max_seconds),
        jobs=JobRegistry(ws, max_bytes=settings.max_upload_bytes),
    )
    app = FastAPI(
        title="Signalboost dashboard",
        version=signalboost.__version__,
        description="JSON twins of the dashboard's pages, and the forms that change the workspace.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _install_session(app)
    _install_errors(app)
    from signalboost.web import routes

    routes.register(app)
    app.add_middleware(LanguageMiddleware, strategy_path=ws.strategy_path)
    app.add_middleware(BodyLimit, upload_limit=settings.max_upload_bytes)
    app.add_middleware(SiteGuard, policy=settings.hosts)  # outermost: a foreign Host is refused before anything
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True
    env.globals["nav"] = NAV
    env.globals["version"] = signalboost.__version__
    env.filters["num"] = _num
    env.filters["filename"] = _filename
    env.filters["pct"] = _pct
    from signalboost import i18n
    from signalboost.report.words import AGGREGATION_LABELS

    i18n.jinja_install(env)
    env.filters["num"] = _num  # the dashboard's own number format (below), in the page's language
    env.filters["pct"] = _pct
    env.filters["plainnum"] = lambda v: "" if v is None else f"{v:g}"  # form values: what <input> parses
    from signalboost.influence.words import component_words, segment_words, stored_words
    from signalboost.outreach.words import value_words

    env.filters["segment"] = segment_words  # an influence segment id in the page's language
    env.filters["component"] = component_words  # an influence score component (reach, topic…)
    env.filters["stored"] = stored_words  # a stored run's reason or note (English in the database)
    env.filters["word"] = value_words  # a stage, mode, touch kind or trend in the page's language
    from signalboost.competitors.benchmark import figure_words, format_words, rank_label
    from signalboost.competitors.insights import slot_label

    env.filters["format_word"] = lambda v: format_words(str(v))  # a post format (video, photo)
    env.filters["figure"] = figure_words  # a benchmark figure (engagement_per_post)
    env.filters["rank_label"] = rank_label  # "too thin (n=3 < 10)" / "no data" of a ranking
    env.filters["slot_label"] = lambda label, dimension: slot_label(dimension, label)  # a best day (CLDR) or hour
    env.globals["languages"] = [(code, i18n.language_name(code)) for code in i18n.languages()]
    from signalboost.report.analysis_words import (
        UNITS,
        plain_note,
        reposts_left_out_words,
        status_words,
        tactic_verdict,
        under_count_words,
    )
    from signalboost.report.words import kpi_is_percent, kpi_metric_words, kpi_target_text, pillar_word

    env.globals["unit_words"] = UNITS
    env.globals["plain_note"] = plain_note  # an analytics note in the page's language (as the CLI and report)
    from signalboost.web.views.analytics import slot_reason

    env.globals["slot_reason"] = lambda row, metric: slot_reason(row, str(metric or ""))  # in the page's language
    env.globals["pillar_word"] = pillar_word  # a pillar id by the strategy's name: pillar_word(id, names)
    env.globals["tactic_verdict"] = lambda verdict, unit: tactic_verdict(str(verdict), str(unit))
    # a KPI as the report says it: its metric in words, a rate's figures and target as %, its status in words
    env.globals["kpi_metric_words"] = kpi_metric_words
    # a figure of a metric: a rate (a KPI's or the analytics' er_*) as a percentage, a count as a number
    env.globals["kpi_figure"] = lambda v, metric: (
        "—"
        if v is None
        else i18n.format_percent(v, digits=2)
        if kpi_is_percent(metric) or (str(metric).startswith("er_") and not str(metric).endswith("_z"))
        else _num(v)
    )
    env.globals["kpi_target_text"] = kpi_target_text
    env.globals["kpi_status_words"] = lambda s: _kpi_status(str(s), status_words)
    env.globals["reposts_left_out_words"] = reposts_left_out_words
    env.globals["kpi_basis_words"] = under_count_words
    env.globals["aggregation_label"] = lambda agg: AGGREGATION_LABELS.get(str(agg or "sum"), str(agg or "sum"))
    return templates


def _kpi_status(status: str, words: Any) -> str:
    """A KPI's status or verdict as the report says it (``words``: its ``status_words``); the page's own states
    (``not available yet``) through the catalog."""
    from signalboost.i18n import _

    said = str(words(status))
    return _(status) if said == status else said


def _pct(value: Any) -> str:
    """A percentage already in percent (``26.4``) with one decimal, in the page's language (``26,4 %`` in nb)."""
    from signalboost.i18n import format_percent

    return "—" if value is None else format_percent(float(value) / 100, digits=1)


def _filename(path: Any) -> str:
    """The file name of a path, without the upload job's ``<16 hex>-`` prefix."""
    import re

    name = str(path or "").replace("\\", "/").split("/")[-1]
    return re.sub(r"^[0-9a-f]{16}-", "", name)


def _num(value: Any, digits: int = 3) -> str:
    """A number in the page's language: whole numbers with grouping, others to ``digits`` significant digits."""
    from signalboost.i18n import _, format_number, format_significant

    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        return format_significant(value, digits=digits)
    return str(value)


def _install_session(app: FastAPI) -> None:
    @app.middleware("http")
    async def session_mw(request: Request, call_next: Any) -> Response:
        ctx: WebContext = request.app.state.ctx
        session = ctx.codec.loads(request.cookies.get(SESSION_COOKIE))
        if session is not None and session.user is not None:
            try:
                live = await run_in_threadpool(ctx.sessions.valid, session.sid, session.user)
            except WorkspaceLockedError as exc:
                return error_response_plain(request, exc.message(), 503)
            if not live:  # logged out, removed, password changed or expired: a fresh anonymous session
                session = None
        fresh = session is None
        request.state.session = session or ctx.codec.new()
        request.state.session_changed = fresh
        path = request.url.path
        if ctx.settings.require_login and not request.state.session.user and not path.startswith(PUBLIC_PATHS):
            if path.endswith((".json", ".ics", ".csv")) or path == "/openapi.json":
                response: Response = JSONResponse({"error": "login required"}, status_code=401)
            else:
                response = RedirectResponse("/login", status_code=303)
        else:
            started = time.perf_counter()
            response = await call_next(request)
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        if request.state.session_changed:
            set_session_cookie(response, request, request.state.session)
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response


def set_session_cookie(response: Response, request: Request, session: Session) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, and Secure when the browser talks HTTPS (``--secure-cookies``,
    or ``X-Forwarded-Proto: https`` from a trusted proxy)."""
    ctx: WebContext = request.app.state.ctx
    peer = request.client.host if request.client else None
    secure = ctx.settings.secure_cookies or ctx.settings.proxy.https(peer, request.headers.get("x-forwarded-proto"))
    response.set_cookie(
        SESSION_COOKIE,
        ctx.codec.dumps(session),
        max_age=int(ctx.settings.session_max_seconds),
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def client_address(request: Request) -> str:
    """The client's address (from ``X-Forwarded-For`` only when the peer is a trusted proxy)."""
    ctx: WebContext = request.app.state.ctx
    peer = request.client.host if request.client else None
    return ctx.settings.proxy.client(peer, request.headers.get("x-forwarded-for"))


def error_response_plain(request: Request, message: str, status: int) -> Response:
    """An error answer before the session exists (JSON for API clients, else plain text)."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(f"Error: {message}", status_code=status)


_STATUS: tuple[tuple[type[SignalboostError], int], ...] = (
    (WorkspaceLockedError, 503),
    (StoreError, 500),
    (UsageError, 400),
    (OutreachError, 409),
    (WebError, 404),
)


def error_status(exc: SignalboostError) -> int:
    """The HTTP status for a library error: 4xx for what the user can fix."""
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(SignalboostError)
    async def signalboost_error(request: Request, exc: SignalboostError) -> Response:
        return error_response(request, exc.message(), error_status(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.method not in SAFE_METHODS:
            # A form without this session's CSRF token is refused as forged (403), before saying what else is wrong
            body = exc.body if hasattr(exc.body, "get") else {}
            token = body.get("csrf_token")
            ctx: WebContext = request.app.state.ctx
            if not ctx.codec.csrf_ok(request.state.session, token if isinstance(token, str) else None):
                return error_response(request, CSRF_REFUSED, 403)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(request, f"the request is not valid: {problems}", 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, str(exc.detail), exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # A bug, not a user error: the page says so in plain words (no traceback to the browser); the server's
        # log gets the traceback (Starlette re-raises it to uvicorn after this response).
        message = (
            f"the dashboard hit an unexpected problem ({type(exc).__name__}); nothing was changed by this page. "
            "Reload it; if it happens again, report it with the server's output"
        )
        try:
            return error_response(request, message, 500)
        except Exception:  # no session yet (the failure came before the middleware): plain text
            return PlainTextResponse(f"Error: {message}", status_code=500)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, message: str, status: int) -> Response:
    """``Error: …`` as JSON for API clients, as a page for people."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", {"message": message, "status": status}, status=status)


def render(request: Request, template: str, data: dict[str, Any], *, status: int = 200, **extra: Any) -> HTMLResponse:
    """Render a page with the shared context (nav, CSRF token, user)."""
    ctx: WebContext = request.app.state.ctx
    session: Session = request.state.session
    context = {
        "request": request,
        "data": data,
        "csrf_token": ctx.codec.csrf_token(session),
        "user": session.user,
        "require_login": ctx.settings.require_login,
        "workspace_name": ctx.workspace.root.name,
        "current": local_path(request.url.path),
        **extra,
    }
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, template, context, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response


def local_path(path: str) -> str:
    """``path`` as a link that stays on this site: ``//evil.example`` (or ``/\\evil.example``, which browsers read
    the same way) would be another host, so leading slashes and backslashes collapse to one slash."""
    return "/" + path.lstrip("/\\")


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable(data), status_code=status)
