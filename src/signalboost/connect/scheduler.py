"""``signalboost run``: the long-running scheduler that publishes approved posts on time and syncs periodically.

One process per workspace (the ``run`` step lock, held for the process's lifetime, refuses a second one with the
first one's pid). It loops:

1. decide the steps due now (:func:`plan_steps`): *publish* to every connected network when the publish tick
   (``publish_every``) has come or an approved post's time has passed since the last publish; *sync* each network
   whose last finished sync (``connections.last_sync_at``, so a restart does not sync again at once) is at least
   ``sync_every`` old;
2. run them: publishing through :func:`signalboost.connect.publish.publish_due` (its exactly-once protocol and its
   ``publish`` lock), syncing through :func:`signalboost.connect.sync.sync_account` (its ``sync`` lock; resumable).
   A post that falls due during a long sync is published between two of the sync's pages;
3. sleep until the earliest of: the next publish tick, the next approved post's time, the next sync
   (:func:`next_wake`) — or until asked to stop.

Stopping (:meth:`Scheduler.request_stop`, called from the SIGTERM/SIGINT handler) is safe at any moment: a sleep
ends at once; a publish finishes the post it is sending (its intent and outcome are committed together with the
network's answer) and leaves the others for the next run; a sync stops after its current page is committed (the
next sync resumes there). A failing step (network down, wrong credential) is logged and retried later with
backoff, never ends the process.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from signalboost.connect.accounts import PLATFORMS, connected_platforms, open_connector
from signalboost.connect.base import Connector
from signalboost.connect.publish import Outcome, due_outcomes, publish_due
from signalboost.connect.sync import sync_account
from signalboost.errors import SignalboostError, UsageError, WorkspaceLockedError
from signalboost.i18n import L_
from signalboost.store import connect_sql as cq
from signalboost.store.lock import step_lock
from signalboost.store.workspace import Workspace

log = logging.getLogger("signalboost.run")

#: a failed step is retried after this long, doubling per consecutive failure, at most its own interval
FIRST_RETRY = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class Step:
    """One unit of work: ``publish`` or ``sync`` of one network."""

    kind: str
    platform: str


@dataclass
class StepResult:
    """What one step did (for the log and ``--once``'s summary)."""

    step: Step
    ok: bool
    detail: str
    outcomes: list[Outcome] = field(default_factory=list)


class _Stopping(Exception):
    """Raised between two committed sync pages when a stop was requested."""


def plan_steps(
    now: dt.datetime,
    platforms: list[str],
    *,
    last_publish: dt.datetime | None,
    publish_every: dt.timedelta,
    last_sync: dict[str, dt.datetime | None],
    sync_every: dt.timedelta,
    next_post_at: dt.datetime | None,
    not_before: dict[Step, dt.datetime] | None = None,
) -> list[Step]:
    """The steps due at ``now``, publishing first (a post is due at a time; a sync can wait).

    Publish when it never ran, when ``publish_every`` has passed since it last ran, or when an approved post's
    time (``next_post_at``) has come since then. Sync a network that never finished a sync or whose last one is
    ``sync_every`` old. A step that failed is not retried before its ``not_before`` time."""
    blocked = not_before or {}
    publish = (
        last_publish is None
        or now - last_publish >= publish_every
        or (next_post_at is not None and last_publish < next_post_at <= now)
    )
    steps = [Step("publish", p) for p in platforms] if publish else []
    for p in platforms:
        last = last_sync.get(p)
        if last is None or now - last >= sync_every:
            steps.append(Step("sync", p))
    return [s for s in steps if blocked.get(s, now) <= now]


def next_wake(
    now: dt.datetime,
    platforms: list[str],
    *,
    last_publish: dt.datetime | None,
    publish_every: dt.timedelta,
    last_sync: dict[str, dt.datetime | None],
    sync_every: dt.timedelta,
    next_post_at: dt.datetime | None,
    not_before: dict[Step, dt.datetime] | None = None,
) -> dt.datetime:
    """When the next step falls due (never before ``now``): the earliest of the next publish tick, the next
    approved post's time (if after the last publish), each network's next sync, each failed step's retry time."""
    times = [(last_publish or now) + publish_every]
    if next_post_at is not None and (last_publish is None or next_post_at > last_publish):
        times.append(next_post_at)
    times += [(last_sync.get(p) or now) + sync_every for p in platforms]
    times += list((not_before or {}).values())
    return max(now, min(times))


class Scheduler:
    """The loop of ``signalboost run`` over one workspace (see the module docstring)."""

    def __init__(
        self,
        ws: Workspace,
        *,
        publish_every: dt.timedelta = dt.timedelta(minutes=1),
        sync_every: dt.timedelta = dt.timedelta(hours=1),
        platform: str | None = None,
        dry_run: bool = False,
        sync: bool = True,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if publish_every <= dt.timedelta(0) or sync_every <= dt.timedelta(0):
            raise UsageError(L_("the intervals must be positive"), hint=L_("e.g. --publish-every 1m --sync-every 1h"))
        if platform is not None and platform not in PLATFORMS:
            raise UsageError(
                L_("unknown platform {platform!r}", platform=platform),
                where="--platform",
                hint=L_("One of {platforms}", platforms=PLATFORMS),
            )
        self.ws = ws
        self.publish_every, self.sync_every = publish_every, sync_every
        self.platform, self.dry_run, self.sync = platform, dry_run, sync
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.stop_event = threading.Event()
        self.last_publish: dt.datetime | None = None
        self.dry_synced: dict[str, dt.datetime] = {}  # --dry-run: syncs it would have run
        self.failures: dict[Step, int] = {}
        self.not_before: dict[Step, dt.datetime] = {}
        self._connectors: dict[str, Connector] = {}
        self.cycles = 0

    # ------------------------------------------------------------------------------------------------ control
    def request_stop(self) -> None:
        """Stop at the next safe point (see the module docstring); safe to call from a signal handler."""
        self.stop_event.set()

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    def run(self, *, once: bool = False) -> list[StepResult]:
        """Loop until stopped (or one cycle with ``once``); returns the results of every step run."""
        with step_lock(self.ws.root, "run", holder="signalboost run"):
            platforms = self.platforms()
            if not platforms:
                raise UsageError(
                    L_("no account is connected to this workspace"),
                    where=str(self.ws.root),
                    hint=L_(
                        "Connect one with `signalboost connect bluesky --handle …` or `signalboost connect mastodon "
                        "--instance …` first"
                    ),
                )
            log.info(
                "started on %s: %s; publish every %s, sync every %s%s",
                self.ws.root,
                ", ".join(platforms),
                self.publish_every,
                self.sync_every if self.sync else "(sync off)",
                " (dry run: nothing is sent or synced)" if self.dry_run else "",
            )
            results: list[StepResult] = []
            while not self.stopping:
                results += self.cycle()
                if once or self.stopping:
                    break
                wake = self.wake_time()
                seconds = max(0.0, (wake - self.clock()).total_seconds())
                log.debug("next step at %s (in %.0f s)", wake.isoformat(timespec="seconds"), seconds)
                self.stop_event.wait(seconds)
            log.info("stopped cleanly after %d cycle(s)", self.cycles)
            return results

    # ------------------------------------------------------------------------------------------------ one cycle
    def platforms(self) -> list[str]:
        """The networks to serve: connected ones (re-read every cycle: a disconnect takes effect at once)."""
        connected = connected_platforms(self.ws)
        return [p for p in connected if self.platform in (None, p)]

    def _facts(self) -> dict[str, Any]:
        platforms = self.platforms()
        with self.ws.connect(purpose="read") as con:
            synced = {r["platform"]: r["last_sync_at"] for r in cq.connection_rows(con)}
            next_post = cq.next_approved_at(con, platforms)
        last_sync: dict[str, dt.datetime | None] = {
            p: (synced[p].astimezone(dt.UTC) if synced.get(p) else None) for p in platforms
        }
        if self.dry_run:
            last_sync = {p: self.dry_synced.get(p) or last_sync[p] for p in platforms}
        if not self.sync:
            last_sync = {}
        return {
            "platforms": platforms,
            "last_publish": self.last_publish,
            "publish_every": self.publish_every,
            "last_sync": last_sync,
            "sync_every": self.sync_every,
            "next_post_at": next_post,
            "not_before": self.not_before,
        }

    def due_steps(self) -> list[Step]:
        facts = self._facts()
        steps = plan_steps(self.clock(), **facts)
        return steps if self.sync else [s for s in steps if s.kind == "publish"]

    def wake_time(self) -> dt.datetime:
        facts = self._facts()
        if not self.sync:
            facts["platforms"] = []
        return next_wake(self.clock(), **facts)

    def cycle(self) -> list[StepResult]:
        """Run every step due now (stops between steps when asked to)."""
        self.cycles += 1
        results = []
        for step in self.due_steps():
            if self.stopping:
                break
            results.append(self.run_step(step))
        return results

    def run_step(self, step: Step) -> StepResult:
        """Run one step; a failure is logged and scheduled for a retry with backoff, never raised."""
        started = time.monotonic()
        try:
            result = self._publish(step) if step.kind == "publish" else self._sync(step)
        except _Stopping:
            result = StepResult(step, True, "stopped after a committed page; the next sync resumes there")
            log.info("%s %s: %s", step.kind, step.platform, result.detail)
            return result
        except WorkspaceLockedError as exc:
            result = StepResult(step, False, exc.message())
            log.warning("%s %s skipped: %s", step.kind, step.platform, exc.message())
        except SignalboostError as exc:
            self._connectors.pop(step.platform, None)  # log in again next time
            result = StepResult(step, False, exc.message())
            log.error("%s %s failed: %s", step.kind, step.platform, exc.message())
        except Exception as exc:  # a bug must not end a service: log it with its traceback, retry later
            self._connectors.pop(step.platform, None)
            result = StepResult(step, False, f"unexpected error: {type(exc).__name__}")
            log.exception("%s %s failed unexpectedly", step.kind, step.platform)
        if step.kind == "publish":
            self.last_publish = self.clock()
        if result.ok:
            self.failures.pop(step, None)
            self.not_before.pop(step, None)
        else:
            self._back_off(step)
        log.debug("%s %s took %.1f s", step.kind, step.platform, time.monotonic() - started)
        return result

    def _back_off(self, step: Step) -> None:
        n = self.failures[step] = self.failures.get(step, 0) + 1
        every = self.publish_every if step.kind == "publish" else self.sync_every
        delay = min(FIRST_RETRY * 2 ** (n - 1), max(every, FIRST_RETRY))
        self.not_before[step] = self.clock() + delay
        log.info("%s %s: next attempt in %s (failure %d in a row)", step.kind, step.platform, delay, n)

    def connector(self, platform: str) -> Connector:
        if platform not in self._connectors:
            self._connectors[platform] = open_connector(self.ws, platform)
        return self._connectors[platform]

    # ------------------------------------------------------------------------------------------------ steps
    def _publish(self, step: Step) -> StepResult:
        if self.dry_run:
            outcomes = due_outcomes(self.ws, step.platform, now=self.clock())
        else:
            with self.ws.connect(purpose="read") as con:
                due = cq.next_approved_at(con, [step.platform])
            if due is None or due > self.clock():
                return StepResult(step, True, "nothing due")  # no login when nothing is due
            outcomes = publish_due(self.ws, self.connector(step.platform), should_stop=lambda: self.stopping)
        for out in outcomes:
            first = (out.text.splitlines() or [""])[0][:60]
            where = out.url or out.error or ""
            log.info("%s %s (due %s) %r %s", out.action, out.plan_id, _iso(out.scheduled_at), first, where)
        counts: dict[str, int] = {}
        for out in outcomes:
            counts[out.action] = counts.get(out.action, 0) + 1
        detail = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "nothing due"
        ok = not any(o.action in ("retry", "failed") for o in outcomes)
        if outcomes:
            log.info("publish %s: %s", step.platform, detail)
        return StepResult(step, ok, detail, outcomes)

    def _sync(self, step: Step) -> StepResult:
        if self.dry_run:
            self.dry_synced[step.platform] = self.clock()
            log.info("sync %s: would sync now (dry run)", step.platform)
            return StepResult(step, True, "would sync")
        connector = self.connector(step.platform)
        started = time.monotonic()
        result = sync_account(self.ws, connector, progress=self._between_pages)
        items = sum(result.items.values())
        detail = (
            f"@{result.handle}: {items} items, {result.requests} requests in {time.monotonic() - started:.1f} s"
            + (" (resumed)" if result.resumed else "")
        )
        log.info("sync %s %s", step.platform, detail)
        return StepResult(step, True, detail)

    def _between_pages(self, stream: str, pages: int, items: int) -> None:
        """After each committed sync page: stop if asked to; publish if a post fell due meanwhile."""
        if self.stopping:
            raise _Stopping
        now = self.clock()
        with self.ws.connect(purpose="read") as con:
            due = cq.next_approved_at(con, self.platforms())
        if due is not None and due <= now and (self.last_publish is None or due > self.last_publish):
            log.info("a post fell due during the sync: publishing it first")
            for p in self.platforms():
                self.run_step(Step("publish", p))


def parse_interval(text: str, *, where: str) -> dt.timedelta:
    """``90s``, ``5m``, ``1h``, ``2h30m``, ``1d`` or plain seconds (``300``) → a positive interval."""
    import re

    raw = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        seconds = float(raw)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([dhms])", raw)
        if not parts or re.sub(r"\s+", "", "".join(n + u for n, u in parts)) != re.sub(r"\s+", "", raw):
            raise UsageError(
                L_("not an interval: {text!r}", text=text),
                where=where,
                hint=L_("Write e.g. 30s, 5m, 1h, 2h30m, 1d or seconds"),
            )
        unit = {"d": 86400, "h": 3600, "m": 60, "s": 1}
        seconds = sum(float(n) * unit[u] for n, u in parts)
    if seconds <= 0:
        raise UsageError(L_("the interval must be positive: {text!r}", text=text), where=where, hint=L_("e.g. 1m"))
    return dt.timedelta(seconds=seconds)


def _iso(value: Any) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="minutes") if isinstance(value, dt.datetime) else str(value)
