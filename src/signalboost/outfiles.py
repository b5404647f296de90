"""Writing the files a user asked for (reports, documents, calendar exports, CSVs) atomically, with clear errors.

Every output goes through :func:`write_output`: the folder is created, the data goes to a hidden temporary file
beside the target which is then renamed over it (a reader never sees half a file), and an ``OSError`` (no
permission, a file where a folder should be, a folder given as the target) becomes one
:class:`~signalboost.errors.OutputError` naming the path and what to do.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from signalboost.errors import OutputError, os_reason
from signalboost.i18n import L_


def check_target(path: Path) -> None:
    """Refuse a target that is an existing folder (``-o exports/`` instead of ``-o exports/report.html``)."""
    if path.is_dir():
        raise OutputError(
            L_("is a folder, not a file"),
            where=str(path),
            hint=L_("Pass a file name, e.g. -o {example}", example=str(path / "output")),
        )


def write_output(path: Path, data: str | bytes, *, what: str = L_("the file")) -> Path:
    """Write ``data`` (text as UTF-8, newlines kept as given) to ``path`` atomically; return ``path``."""
    check_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(payload)
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(
            L_("cannot write {what}: {reason}", what=what, reason=_reason(path, exc)),
            where=str(path),
            hint=L_("Check the folder exists and is writable, or pass another path with -o"),
        ) from exc
    return path


def _reason(path: Path, exc: OSError) -> str:
    """Why the write failed, in words: name the file that stands where a folder should be."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return L_("{parent} is a file, not a folder", parent=str(parent))
            break
    return os_reason(exc)
