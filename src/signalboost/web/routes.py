"""The dashboard's routes: each page at ``/name`` (HTML) and ``/name.json`` (its JSON twin), and the forms.

Every handler is a thin call into a builder of :mod:`signalboost.web.views` (which calls the library). Forms
are checked for the session's CSRF token before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from signalboost.web import charts, schemas
from signalboost.web.app import CSRF_REFUSED, client_address, json_response, render, set_session_cookie
from signalboost.web.auth import authenticate
from signalboost.web.context import WebContext
from signalboost.web.views import (
    analytics,
    calendar,
    imports,
    influencers,
    outreach,
    overview,
    partners,
    post_editor,
    strategy,
)
from signalboost.web.views import audience as audience_view
from signalboost.web.views import competitors as competitors_view
from signalboost.web.views import connections as connections_view

JSON_OK: dict[int | str, dict[str, Any]] = {
    200: {"description": "The page's data", "content": {"application/json": {"schema": {"type": "object"}}}},
}
FORM_RESULT: dict[int | str, dict[str, Any]] = {
    303: {"description": "Done: redirect to the page"},
    403: {"description": "Missing or wrong CSRF token"},
    422: {"description": "Not valid: the page with the problems"},
}
DONE: dict[str, str] = {
    "saved": "Saved to strategy.yaml (comments kept).",
    "moved": "Moved.",
    "logged": "Touch logged.",
    "duplicate": "That touch was already in the ledger; nothing changed.",
    "planned": "Calendar planned.",
    "post-moved": "Post moved.",
    "uploaded": "Upload received; the import is running.",
    "added": "Added to the pipeline as identified.",
    "scored": "Influence scores computed.",
    "sync-started": "Sync started; it runs in the background (this page follows its progress).",
    "draft-saved": "Draft saved.",
    "draft-saved-unapproved": "Draft saved. The text changed, so the post is back to draft: approve it again.",
    "alt-saved": "Alt text saved.",
    "alt-saved-unapproved": "Alt text saved. The post changed, so it is back to draft: approve it again.",
    "approved": "Approved: `signalboost publish` sends it when it is due.",
    "to-draft": "Back to draft: `signalboost publish` will not send it.",
}
VERSION_HELP = "strategy.yaml's version when the form was made (the page's `version`); refused with 409 if it changed"
Csrf = Annotated[str, Form(description="The form's CSRF token (from the page)", max_length=200)]


def _json_doc(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a JSON twin: its shape, and the error answers."""
    return {
        200: {"model": model, "description": "The page's data"},
        404: {"model": schemas.ErrorJSON, "description": "Not found"},
        422: {"model": schemas.ErrorJSON, "description": "Invalid query parameters"},
        503: {"model": schemas.ErrorJSON, "description": "The workspace is busy (a long import); retry"},
    }


def ctx_of(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a state-changing request without the session's CSRF token (403)."""
    if not ctx_of(request).codec.csrf_ok(request.state.session, token):
        raise HTTPException(403, CSRF_REFUSED)


def done(url: str, code: str, request: Request | None = None) -> RedirectResponse:
    """Redirect after a successful form; the dashboard's own write makes every cached page stale, so forget them
    (the next page is computed fresh, not served stale)."""
    if request is not None:
        ctx_of(request).cache.clear()
    sep = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{sep}done={code}", status_code=303)


def page(
    app: FastAPI, path: str, template: str, *, name: str, decorate: Callable[[dict[str, Any]], dict[str, Any]] | None
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Register ``builder`` at ``path`` (HTML via ``template``) and ``path.json`` (JSON, in the OpenAPI schema)."""

    def register(builder: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        import functools

        def scoped(*args: Any, **kwargs: Any) -> dict[str, Any]:
            with ctx_of(kwargs["request"]).cache.scope():  # one connection for every read of the request
                return builder(*args, **kwargs)

        @functools.wraps(builder)
        def as_json(*args: Any, **kwargs: Any) -> Response:
            return json_response(scoped(*args, **kwargs))

        @functools.wraps(builder)
        def as_html(*args: Any, **kwargs: Any) -> Response:
            request: Request = kwargs["request"]
            data = scoped(*args, **kwargs)
            extra = decorate(data) if decorate else {}
            message = DONE.get(request.query_params.get("done", ""))
            return render(request, template, data, message=message, **extra)

        json_path = "/overview.json" if path == "/" else f"{path}.json"
        model = schemas.PAGE_MODELS.get(name)
        app.add_api_route(
            json_path,
            as_json,
            methods=["GET"],
            name=f"{name}_json",
            responses=_json_doc(model) if model else JSON_OK,
            tags=["pages (JSON)"],
            summary=f"{name.title()} page data",
            response_class=JSONResponse,
        )
        app.add_api_route(
            path, as_html, methods=["GET"], name=name, include_in_schema=False, response_class=HTMLResponse
        )
        return builder

    return register


def register(app: FastAPI) -> None:
    """Add every route to ``app``."""
    _pages(app)
    _forms(app)
    _sync_form(app)
    _editor(app)
    _auth(app)


def _pages(app: FastAPI) -> None:
    @page(app, "/", "overview.html", name="overview", decorate=charts.overview)
    def overview_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)

        def derived() -> dict[str, Any]:
            analysis, _ = ctx.cache.swr(("overview-figures",), lambda: analytics.overview_figures(ctx.workspace))
            alerts, _ = ctx.cache.swr(("alerts",), lambda: outreach.alerts(ctx.workspace, None))
            return overview.build(ctx.workspace, analysis=analysis, alerts=alerts)

        rest, stale = ctx.cache.swr(("overview",), derived)
        live = ctx.cache.get(("counts",), lambda: overview.counts(ctx.workspace))
        return {**rest, **live, "stale": stale}

    @page(app, "/strategy", "strategy.html", name="strategy", decorate=None)
    def strategy_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        data = ctx.cache.get(("strategy",), lambda: strategy.build(ctx.workspace), state=ctx.cache.strategy_state())
        return {**data, "version": strategy.file_version(ctx.workspace)}  # read now: the edit forms carry it

    @page(app, "/calendar", "calendar.html", name="calendar", decorate=calendar.decorate)
    def calendar_page(
        request: Request,
        view: Annotated[str, Query(pattern="^(month|week)$", description="month or week")] = "month",
        date: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day in the period")] = None,
    ) -> dict[str, Any]:
        ctx = ctx_of(request)
        return ctx.cache.get(("calendar", view, date), lambda: calendar.build(ctx.workspace, view=view, day=date))

    @page(app, "/analytics", "analytics.html", name="analytics", decorate=charts.analytics)
    def analytics_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        data, stale = ctx.cache.swr(("analytics",), lambda: analytics.build(ctx.workspace))
        return {**data, "stale": stale}

    @page(app, "/influencers", "influencers.html", name="influencers", decorate=charts.influencers)
    def influencers_page(
        request: Request,
        sort: Annotated[str, Query(max_length=40, description="column to sort by")] = "score",
        order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
        segment: Annotated[str | None, Query(max_length=40, description="only this segment")] = None,
        q: Annotated[str | None, Query(max_length=100, description="handle, name or bio contains")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        platform: Annotated[str | None, Query(max_length=40, description="platform (default: most scored)")] = None,
    ) -> dict[str, Any]:
        ctx = ctx_of(request)
        key = ("influencers", sort, order, segment, q, limit, platform)
        data, stale = ctx.cache.swr(
            key,
            lambda: influencers.build(
                ctx.workspace, sort=sort, order=order, segment=segment, q=q, limit=limit, platform=platform
            ),
        )
        return {**data, **influencers.title_words(data), "stale": stale}  # words per request: in its language

    @app.get(
        "/influencers/{platform}/{account_id:path}.json",  # :path: an id may hold "/" (a Mastodon actor URI)
        tags=["pages (JSON)"],
        responses=_json_doc(schemas.ProfileJSON),
        summary="One influencer's profile",
        name="influencer_json",
    )
    def influencer_json(
        request: Request,
        platform: Annotated[str, Path(max_length=40)],
        account_id: Annotated[str, Path(max_length=200)],
    ) -> Response:
        return json_response(_profile(request, platform, account_id))

    @app.get("/influencers/{platform}/{account_id:path}", include_in_schema=False, response_class=HTMLResponse)
    def influencer_html(request: Request, platform: str, account_id: str) -> Response:
        data = _profile(request, platform, account_id)
        return render(request, "influencer.html", data, **charts.profile(data))

    @page(app, "/outreach", "outreach.html", name="outreach", decorate=None)
    def outreach_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        alerts, stale = ctx.cache.swr(("alerts",), lambda: outreach.alerts(ctx.workspace, None))
        data, stale2 = ctx.cache.swr(("outreach",), lambda: outreach.build(ctx.workspace))
        return {**data, "alerts": alerts, "stale": stale or stale2}

    @page(app, "/audience", "audience.html", name="audience", decorate=audience_view.decorate)
    def audience_page(
        request: Request,
        platform: Annotated[str | None, Query(max_length=40, description="platform (default: most data)")] = None,
    ) -> dict[str, Any]:
        ctx = ctx_of(request)
        data, stale = ctx.cache.swr(("audience", platform), lambda: audience_view.build(ctx.workspace, platform))
        return {**data, "stale": stale}

    @page(app, "/competitors", "competitors.html", name="competitors", decorate=competitors_view.decorate)
    def competitors_page(
        request: Request,
        platform: Annotated[str | None, Query(max_length=40, description="one network (default: each)")] = None,
        min_posts: Annotated[int, Query(ge=2, le=10_000, description="posts a page needs to be ranked")] = 10,
    ) -> dict[str, Any]:
        ctx = ctx_of(request)
        data, stale = ctx.cache.swr(
            ("competitors", platform, min_posts),
            lambda: competitors_view.build(ctx.workspace, platform, min_posts=min_posts),
        )
        return {**data, "stale": stale}

    @page(app, "/partners", "partners.html", name="partners", decorate=None)
    def partners_page(
        request: Request,
        candidate: Annotated[str | None, Query(max_length=200, description="show this candidate's bridges")] = None,
    ) -> dict[str, Any]:
        ctx = ctx_of(request)
        data, stale = ctx.cache.swr(("partners", candidate), lambda: partners.build(ctx.workspace, candidate))
        return {**data, "stale": stale}

    @page(app, "/imports", "imports.html", name="imports", decorate=None)
    def imports_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        return imports.build(ctx.workspace, [j.as_dict() for j in ctx.jobs.list("import")])

    @app.get(
        "/imports/jobs/{job_id}.json",
        tags=["pages (JSON)"],
        responses=_json_doc(schemas.JobJSON),
        summary="An upload's progress",
    )
    def job_json(request: Request, job_id: Annotated[str, Path(max_length=40)]) -> Response:
        return _job_response(request, job_id, kind="import", noun="upload")

    @page(app, "/connections", "connections.html", name="connections", decorate=None)
    def connections_page(request: Request) -> dict[str, Any]:
        ctx = ctx_of(request)
        return connections_view.build(ctx.workspace, [j.as_dict() for j in ctx.jobs.list("sync")])

    @app.get(
        "/connections/jobs/{job_id}.json",
        tags=["pages (JSON)"],
        responses=_json_doc(schemas.JobJSON),
        summary="A sync's progress",
    )
    def sync_job_json(request: Request, job_id: Annotated[str, Path(max_length=40)]) -> Response:
        return _job_response(request, job_id, kind="sync", noun="sync")

    @app.get(
        "/imports/{import_id}.json",
        tags=["pages (JSON)"],
        responses=_json_doc(schemas.ImportJSON),
        summary="One import and its rejected rows",
    )
    def import_json(request: Request, import_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
        return json_response(imports.build_one(ctx_of(request).workspace, import_id))

    @app.get("/imports/{import_id}", include_in_schema=False, response_class=HTMLResponse)
    def import_html(request: Request, import_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
        return render(request, "import.html", imports.build_one(ctx_of(request).workspace, import_id))

    @app.get(
        "/calendar.ics",
        tags=["exports"],
        summary="The calendar as iCalendar (RFC 5545)",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def calendar_ics(request: Request) -> Response:
        text = calendar.export(ctx_of(request).workspace, "ics")
        return Response(
            text,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="signalboost-calendar.ics"'},
        )

    @app.get(
        "/calendar.csv",
        tags=["exports"],
        summary="The calendar as CSV (formula-safe)",
        response_class=Response,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def calendar_csv(request: Request) -> Response:
        text = calendar.export(ctx_of(request).workspace, "csv")
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="signalboost-calendar.csv"'},
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}


def _forms(app: FastAPI) -> None:
    @app.post("/strategy/section", tags=["forms"], responses=FORM_RESULT, summary="Replace one strategy section")
    def strategy_section(
        request: Request,
        csrf_token: Csrf,
        section: Annotated[str, Form(max_length=40)],
        content: Annotated[str, Form(max_length=200_000)] = "",
        version: Annotated[str, Form(max_length=64, description=VERSION_HELP)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        ws = ctx_of(request).workspace
        result = strategy.edit_section(ws, section, content, version or None)
        return _strategy_result(request, result)

    @app.post("/strategy/pillars", tags=["forms"], responses=FORM_RESULT, summary="Set the pillars' weights")
    def strategy_pillars(
        request: Request,
        csrf_token: Csrf,
        pillar: Annotated[list[str], Form(description="pillar ids, in the order of the weights")],
        weight: Annotated[list[str], Form(description="weights in percent")],
        version: Annotated[str, Form(max_length=64, description=VERSION_HELP)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        result = strategy.edit_pillar_weights(ctx_of(request).workspace, pillar, weight, version or None)
        return _strategy_result(request, result)

    @app.post("/calendar/plan", tags=["forms"], responses=FORM_RESULT, summary="Plan the calendar")
    def calendar_plan(
        request: Request,
        csrf_token: Csrf,
        start: Annotated[str, Form(pattern=r"^\d{4}-\d{2}-\d{2}$", description="first day")],
        weeks: Annotated[int, Form(ge=1, le=104)] = 4,
    ) -> Response:
        check_csrf(request, csrf_token)
        calendar.check_period(start, weeks)
        calendar.plan(ctx_of(request).workspace, start, weeks)
        return done(f"/calendar?date={start}", "planned", request)

    @app.post("/calendar/move", tags=["forms"], responses=FORM_RESULT, summary="Move a planned post")
    def calendar_move(
        request: Request,
        csrf_token: Csrf,
        post_id: Annotated[str, Form(max_length=200)],
        when: Annotated[str, Form(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$", description="new local date-time")],
    ) -> Response:
        check_csrf(request, csrf_token)
        calendar.check_moment(when)
        day = calendar.move(ctx_of(request).workspace, post_id, when)
        return done(f"/calendar?date={day}", "post-moved", request)

    @app.post("/outreach/move", tags=["forms"], responses=FORM_RESULT, summary="Move an influencer to a stage")
    def outreach_move(
        request: Request,
        csrf_token: Csrf,
        platform: Annotated[str, Form(max_length=40)],
        account_id: Annotated[str, Form(max_length=200)],
        stage: Annotated[str, Form(max_length=40)],
    ) -> Response:
        check_csrf(request, csrf_token)
        outreach.move(ctx_of(request).workspace, platform, account_id, stage, by=request.state.session.user)
        return done("/outreach", "moved", request)

    @app.post("/outreach/add", tags=["forms"], responses=FORM_RESULT, summary="Add an account to the pipeline")
    def outreach_add(
        request: Request,
        csrf_token: Csrf,
        platform: Annotated[str, Form(max_length=40)],
        account_id: Annotated[str, Form(max_length=200)],
    ) -> Response:
        check_csrf(request, csrf_token)
        outreach.add(ctx_of(request).workspace, platform, account_id, owner=request.state.session.user)
        return done("/outreach", "added", request)

    @app.post("/influencers/compute", tags=["forms"], responses=FORM_RESULT, summary="Compute influence scores")
    def influencers_compute(
        request: Request,
        csrf_token: Csrf,
        platform: Annotated[str, Form(max_length=40)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        influencers.compute(ctx_of(request).workspace, platform or None)
        return done("/influencers", "scored", request)

    @app.post("/outreach/log", tags=["forms"], responses=FORM_RESULT, summary="Log a touch in the ledger")
    def outreach_log(
        request: Request,
        csrf_token: Csrf,
        account: Annotated[str, Form(max_length=250, description="platform|account_id")],
        kind: Annotated[str, Form(max_length=40)],
        direction: Annotated[str, Form(pattern="^(ours|theirs)$")] = "ours",
        is_ask: Annotated[bool, Form()] = False,
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        platform, _, account_id = account.partition("|")
        if not platform or not account_id:
            raise HTTPException(422, "choose the influencer the touch was with")
        new = outreach.log(
            ctx_of(request).workspace, platform, account_id, kind, direction=direction, is_ask=is_ask, note=note
        )
        return done("/outreach", "logged" if new else "duplicate", request)

    @app.post(
        "/imports",
        tags=["forms"],
        responses={**FORM_RESULT, 413: {"description": "File too large"}},
        summary="Upload an export file and import it",
    )
    def upload(
        request: Request,
        csrf_token: Csrf,
        file: Annotated[UploadFile, File(description="an export file (zip, json, csv, …)")],
    ) -> Response:
        check_csrf(request, csrf_token)
        jobs = ctx_of(request).jobs
        job, path = jobs.store(file.filename, file.file)
        jobs.start(job, path, on_done=ctx_of(request).cache.clear)
        if "application/json" in request.headers.get("accept", ""):
            return json_response(job.as_dict(), status=202)
        return RedirectResponse(f"/imports?done=uploaded&job={job.job_id}", status_code=303)


def _sync_form(app: FastAPI) -> None:
    @app.post(
        "/connections/sync",
        tags=["forms"],
        responses={**FORM_RESULT, 202: {"description": "Started (JSON clients): the job"}},
        summary="Sync a connected account now, in the background",
    )
    def sync_now(
        request: Request,
        csrf_token: Csrf,
        platform: Annotated[str, Form(pattern="^(bluesky|mastodon)$", description="bluesky or mastodon")],
    ) -> Response:
        check_csrf(request, csrf_token)
        ctx = ctx_of(request)
        job = connections_view.start_sync(ctx.workspace, ctx.jobs, platform, on_done=ctx.cache.clear)
        if "application/json" in request.headers.get("accept", ""):
            return json_response(job.as_dict(), status=202)
        return RedirectResponse(f"/connections?done=sync-started&job={job.job_id}", status_code=303)


PostId = Annotated[str, Form(max_length=80, description="The planned post's id (or its first characters)")]


def _editor(app: FastAPI) -> None:
    """The post editor: ``/calendar/post/{id}`` (and ``.json``), and its forms (save text, approve, back to draft)."""

    @app.get(
        "/calendar/post/{post_id}.json",
        tags=["pages (JSON)"],
        responses=JSON_OK,
        summary="One planned post, as the editor shows it",
        name="post_editor_json",
    )
    def post_editor_json(request: Request, post_id: Annotated[str, Path(max_length=80)]) -> Response:
        return json_response(post_editor.build(ctx_of(request).workspace, post_id))

    @app.get("/calendar/post/{post_id}", include_in_schema=False, response_class=HTMLResponse)
    def post_editor_html(request: Request, post_id: Annotated[str, Path(max_length=80)]) -> Response:
        data = post_editor.build(ctx_of(request).workspace, post_id)
        return render(request, "post.html", data, message=DONE.get(request.query_params.get("done", "")))

    def refused(request: Request, post_id: str, message: str, text: str | None = None) -> Response:
        ws = ctx_of(request).workspace
        data = post_editor.build(ws, post_id, text=text, error=post_editor.relative(message, ws))
        return render(request, "post.html", data, status=422)

    @app.post("/calendar/draft", tags=["forms"], responses=FORM_RESULT, summary="Save a planned post's text")
    def post_save(
        request: Request,
        csrf_token: Csrf,
        post_id: PostId,
        text: Annotated[str, Form(max_length=20_000, description="The post's text")] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        try:
            post, back = post_editor.save_draft(ctx_of(request).workspace, post_id, text)
        except post_editor.ConnectError as exc:  # over the network's limit: nothing saved, the typed text kept
            return refused(request, post_id, exc.message(), text)
        return done(f"/calendar/post/{post.id}", "draft-saved-unapproved" if back else "draft-saved", request)

    @app.post("/calendar/alt", tags=["forms"], responses=FORM_RESULT, summary="Change an image's alt text")
    def post_alt(
        request: Request,
        csrf_token: Csrf,
        post_id: PostId,
        part: Annotated[int, Form(ge=0, le=100, description="Thread part (0 = the post)")],
        image: Annotated[int, Form(ge=0, le=100, description="The image's place in the part (0 = first)")],
        alt: Annotated[str, Form(max_length=5_000, description="What the image shows, for screen readers")],
    ) -> Response:
        check_csrf(request, csrf_token)
        try:
            post, back = post_editor.set_alt(ctx_of(request).workspace, post_id, part, image, alt)
        except post_editor.ConnectError as exc:  # blank, or no such image: nothing changed
            return refused(request, post_id, exc.message())
        return done(f"/calendar/post/{post.id}", "alt-saved-unapproved" if back else "alt-saved", request)

    @app.post("/calendar/approve", tags=["forms"], responses=FORM_RESULT, summary="Approve a planned post")
    def post_approve(request: Request, csrf_token: Csrf, post_id: PostId) -> Response:
        check_csrf(request, csrf_token)
        try:
            post = post_editor.approve(ctx_of(request).workspace, post_id)
        except post_editor.ConnectError as exc:  # what the network would refuse: every reason, nothing changed
            return refused(request, post_id, exc.message())
        return done(f"/calendar/post/{post.id}", "approved", request)

    @app.post("/calendar/unapprove", tags=["forms"], responses=FORM_RESULT, summary="Take a post back to draft")
    def post_unapprove(request: Request, csrf_token: Csrf, post_id: PostId) -> Response:
        check_csrf(request, csrf_token)
        post = post_editor.to_draft(ctx_of(request).workspace, post_id)
        return done(f"/calendar/post/{post.id}", "to-draft", request)


def _job_response(request: Request, job_id: str, *, kind: str, noun: str) -> Response:
    """One background job of ``kind`` as JSON (upload or sync progress); 404 for another kind or an unknown id."""
    job = ctx_of(request).jobs.get(job_id)
    if job is None or job.kind != kind:
        raise HTTPException(404, f"no {noun} {job_id!r} since the server started")
    return json_response(job.as_dict())


def _profile(request: Request, platform: str, account_id: str) -> dict[str, Any]:
    ctx = ctx_of(request)
    with ctx.cache.scope():
        data, stale = ctx.cache.swr(
            ("profile", platform, account_id), lambda: influencers.profile(ctx.workspace, platform, account_id)
        )
    return {**data, "stale": stale}


def _strategy_result(request: Request, result: strategy.EditResult) -> Response:
    if result.saved:
        return done("/strategy", "saved", request)
    ws = ctx_of(request).workspace
    data = {**strategy.build(ws), "version": strategy.file_version(ws)}
    return render(request, "strategy.html", data, status=409 if result.conflict else 422, edit=result)


def _auth(app: FastAPI) -> None:
    @app.get("/login", include_in_schema=False, response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        return render(request, "login.html", {})

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        csrf_token: Csrf,
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=1024)],
    ) -> Response:
        check_csrf(request, csrf_token)
        ctx = ctx_of(request)
        attempt = ctx.throttle.reserve(client_address(request), username)  # counted before the check: atomic
        if attempt is None:
            return render(request, "login.html", {"error": "Too many failed logins; wait a few minutes."}, status=429)
        user = authenticate(ctx.workspace, username, password)
        if user is None:
            return render(request, "login.html", {"error": "Wrong user name or password."}, status=401)
        ctx.throttle.release(attempt)  # this attempt was right: only its own count is taken back
        session = ctx.codec.new()  # a new session id at login (no session fixation)
        session.user = user
        ctx.sessions.start(user, session.sid)
        if request.state.session.user is not None:
            ctx.sessions.end(request.state.session.sid)  # a second login in the same browser ends the first session
        response = RedirectResponse("/", status_code=303)
        set_session_cookie(response, request, session)
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf_token: Csrf) -> Response:
        check_csrf(request, csrf_token)
        ctx = ctx_of(request)
        if request.state.session.user is not None:
            ctx.sessions.end(request.state.session.sid)  # revoked server-side: a copy of the cookie is dead too
        response = RedirectResponse("/login" if ctx.settings.require_login else "/", status_code=303)
        set_session_cookie(response, request, ctx.codec.new())
        return response
