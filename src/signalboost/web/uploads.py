"""Uploads on the Imports page: store the file safely, import it in the background, report progress.

- The stored name keeps only the last path component and the characters ``A-Z a-z 0-9 . _ -`` (so ``../../x``,
  ``C:\\x`` or a NUL byte cannot escape the upload folder), prefixed by the job id; the final path is checked to
  be inside the folder.
- The body size is capped by the server (:class:`signalboost.web.app.BodyLimit`) and again while copying.
- The import runs in a thread through ``signalboost.ingest.import_files`` (which takes the workspace lock, so a
  CLI import at the same time waits its turn); the job records its phase, elapsed time and results.
"""

from __future__ import annotations

import builtins
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from signalboost.errors import IngestError, SignalboostError, UsageError
from signalboost.i18n import L_
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable, lib

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
UPLOAD_DIR = "uploads"


def safe_filename(name: str | None) -> str:
    """The last path component of ``name`` with unsafe characters replaced by ``_`` (never empty, never hidden)."""
    base = (name or "").replace("\\", "/").replace("\x00", "").split("/")[-1]
    base = _UNSAFE.sub("_", base).lstrip("._")[:120]
    return base or "upload"


@dataclass
class Job:
    """One uploaded file on its way into the workspace."""

    job_id: str
    filename: str
    size: int
    phase: str = "queued"  # queued / importing / done / failed
    started: float = field(default_factory=time.time)
    finished: float | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    #: the library error that failed the job, shown in the language of whoever reads the job (the job's thread
    #: has no reader); ``hide``: (text, replacement), e.g. the server-side path replaced by the uploaded name
    failure: SignalboostError | None = None
    hide: tuple[str, str] | None = None
    kind: str = "import"  # import (an upload) or sync (a connected account's "sync now")
    progress: dict[str, Any] = field(default_factory=dict)  # a sync's stream, pages and items so far

    def as_dict(self) -> dict[str, Any]:
        end = self.finished or time.time()
        return {
            "job_id": self.job_id,
            "kind": self.kind,
            "filename": self.filename,
            "size_bytes": self.size,
            "phase": self.phase,
            "elapsed_s": round(end - self.started, 2),
            "progress": jsonable(self.progress),
            "results": jsonable(self.results),
            "error": self.error_text(),
        }

    def error_text(self) -> str | None:
        """Why the job failed, in the active language (``None`` while it has not failed)."""
        if self.failure is None:
            return self.error
        text = self.failure.message()
        return text.replace(*self.hide) if self.hide else text


class JobRegistry:
    """The background jobs started from the dashboard since the server started (newest first): uploads'
    imports, and connected accounts' syncs (:meth:`start_task`)."""

    def __init__(self, workspace: Workspace, *, max_bytes: int) -> None:
        self.ws = workspace
        self.max_bytes = max_bytes
        self.folder = workspace.root / UPLOAD_DIR
        self._jobs: dict[str, Job] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def list(self, kind: str | None = None) -> list[Job]:
        with self._lock:
            jobs = [j for j in self._jobs.values() if kind in (None, j.kind)]
        return sorted(jobs, key=lambda j: j.started, reverse=True)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def store(self, filename: str | None, stream: BinaryIO) -> tuple[Job, Path]:
        """Copy ``stream`` into the upload folder (at most ``max_bytes``) and register a job for it."""
        job_id = secrets.token_hex(8)
        name = safe_filename(filename)
        self.folder.mkdir(exist_ok=True)
        target = (self.folder / f"{job_id}-{name}").resolve()
        if target.parent != self.folder.resolve():
            raise UsageError(
                L_("unsafe file name"), where=str(filename), hint=L_("Rename the file and upload it again")
            )
        size = 0
        with target.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    out.close()
                    target.unlink(missing_ok=True)
                    raise UsageError(
                        L_(
                            "the file is larger than the upload limit of {limit} MiB",
                            limit=self.max_bytes // (1024 * 1024),
                        ),
                        where=name,
                        hint=L_("Import it from the command line: signalboost import FILE"),
                    )
                out.write(chunk)
        if size == 0:
            target.unlink(missing_ok=True)
            raise UsageError(L_("the uploaded file is empty"), where=name, hint=L_("Choose the export file again"))
        job = Job(job_id=job_id, filename=name, size=size)
        with self._lock:
            self._jobs[job_id] = job
        return job, target

    def start(self, job: Job, path: Path, *, wait: bool = False, on_done: Callable[[], None] | None = None) -> None:
        """Import ``path`` in a background thread (or in this one with ``wait=True``); ``on_done`` runs after."""
        thread = threading.Thread(target=self._run, args=(job, path, on_done), name=f"import-{job.job_id}", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        if wait:
            thread.join()

    def running(self) -> builtins.list[Job]:
        """The jobs not finished yet (queued, importing or syncing)."""
        return [j for j in self.list() if j.phase in ("queued", "importing", "syncing")]

    def start_task(
        self,
        kind: str,
        name: str,
        task: Callable[[Job], builtins.list[dict[str, Any]]],
        *,
        phase: str,
        on_done: Callable[[], None] | None = None,
    ) -> Job:
        """Run ``task(job)`` in a background thread as a job of ``kind`` (phase ``phase`` while it runs), unless a
        job of the same kind and name is still running: then that one is returned (one sync per account)."""
        with self._lock:
            for job in self._jobs.values():
                if job.kind == kind and job.filename == name and job.phase in ("queued", phase):
                    return job
            job = Job(job_id=secrets.token_hex(8), filename=name, size=0, kind=kind)
            self._jobs[job.job_id] = job
        thread = threading.Thread(
            target=self._run_task, args=(job, task, phase, on_done), name=f"{kind}-{job.job_id}", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def _run_task(
        self,
        job: Job,
        task: Callable[[Job], builtins.list[dict[str, Any]]],
        phase: str,
        on_done: Callable[[], None] | None,
    ) -> None:
        job.phase = phase
        try:
            job.results = task(job)
            job.phase = "done"
        except SignalboostError as exc:
            job.failure, job.error, job.phase = exc, exc.message(english=True), "failed"
        except Exception as exc:  # a bug must not kill the server; show it on the job
            job.error, job.phase = f"unexpected error: {type(exc).__name__}", "failed"
        finally:
            job.finished = time.time()
            if on_done is not None:
                on_done()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every started import to finish (``timeout`` seconds at most); ``True`` when none is left."""
        import time as _time

        deadline = None if timeout is None else _time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(None if deadline is None else max(0.0, deadline - _time.monotonic()))
        return not any(t.is_alive() for t in threads)

    def _run(self, job: Job, path: Path, on_done: Callable[[], None] | None = None) -> None:
        import_files = lib("signalboost.ingest", "import_files")
        job.phase = "importing"
        try:
            if import_files is None:
                raise IngestError(
                    L_("importing is not available yet in this installation"),
                    hint=L_("Update Signalboost, or import with the command line later"),
                )
            results = import_files(self.ws, [path], progress=False)
            job.results = [r.as_dict() if hasattr(r, "as_dict") else dict(r) for r in results]
            for r in job.results:
                r["file"] = job.filename
            job.phase = "done"
        except SignalboostError as exc:
            job.failure, job.hide, job.phase = exc, (str(path), job.filename), "failed"
            job.error = exc.message(english=True).replace(str(path), job.filename)
        except Exception as exc:  # a bug in an importer must not kill the server; show it on the job
            job.error, job.phase = f"unexpected error while importing: {type(exc).__name__}: {exc}", "failed"
        finally:
            job.finished = time.time()
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            if on_done is not None:
                on_done()
