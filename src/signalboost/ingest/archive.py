"""Safe reading of exports that come as a zip or as an unpacked folder.

Nothing is ever extracted to disk: members are read into memory one at a time, after checks against the two
classic zip attacks (OWASP "Unrestricted file upload", CWE-22 and CWE-409):

- *path traversal* ("zip slip"): a member name that is absolute or contains ``..`` is refused;
- *zip bomb*: the declared uncompressed total is capped (:data:`MAX_TOTAL_BYTES`), so is the compression ratio of
  any large member (:data:`MAX_RATIO`), and reading stops if a member inflates past its declared size;
- the bytes an import actually inflates are capped by its decompression budget
  (:mod:`signalboost.ingest.limits`, 512 MiB by default): each member is checked against it by its declared size
  *before* it is inflated, and ``zipfile`` never returns more than that size.

A damaged member (bad CRC-32, a false declared size, a truncated or unsupported compressed stream, an encrypted
member) becomes an :class:`~signalboost.errors.IngestError` naming ``zip!member``, never a ``BadZipFile`` traceback.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path, PurePosixPath

from signalboost.errors import IngestError
from signalboost.i18n import L_
from signalboost.ingest.limits import current_budget

MAX_TOTAL_BYTES = 64 * 1024**3  # 64 GiB uncompressed in total (real archives with videos run to several GiB)
MAX_MEMBER_BYTES = 2 * 1024**3  # one member read into memory
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB
_RATIO_FLOOR = 1024**2
_MAX_MEMBERS = 200_000


def _numbered(suffix: str) -> re.Pattern[str]:
    """``followers_{n}.json`` as a pattern of base names: ``{n}`` is one or more digits."""
    return re.compile(r"\d+".join(re.escape(part.lower()) for part in suffix.split("{n}")))


def _natural(name: str) -> tuple[object, ...]:
    """Sort key that orders ``part_2`` before ``part_10``."""
    return tuple(int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", name))


class Archive:
    """A zip file or a folder, seen as a list of relative POSIX names."""

    def __init__(self, path: Path, *, recursive: bool = True) -> None:
        self.path = path
        self.is_zip = path.is_file()
        self._names = _zip_names(path) if self.is_zip else _dir_names(path, recursive=recursive)
        self._budget = current_budget()

    def names(self) -> list[str]:
        return list(self._names)

    def find(self, *suffixes: str) -> list[str]:
        """Members whose base name matches one of ``suffixes``, in name order (numbered parts in number order).

        A suffix is a base name (``"tweets.js"``), ``*`` + an ending (``"*posts_1.json"``), or a base name with
        ``{n}`` standing for any number (``"followers_{n}.json"``: ``followers_1.json`` … ``followers_120.json``,
        as large accounts' exports split a list into as many parts as it needs)."""
        numbered = [_numbered(s) for s in suffixes if "{n}" in s]
        out = []
        for name in self._names:
            base = name.rsplit("/", 1)[-1].lower()
            if any(base == s.lower() or (s.startswith("*") and base.endswith(s[1:].lower())) for s in suffixes) or any(
                rx.fullmatch(base) for rx in numbered
            ):
                out.append(name)
        return sorted(out, key=_natural)

    def read(self, name: str) -> bytes:
        """The bytes of one member (bounded by its declared size and the import's decompression budget)."""
        if not self.is_zip:
            return (self.path / name).read_bytes()
        where = self.where(name)
        try:
            with zipfile.ZipFile(self.path) as zf:
                info = zf.getinfo(name)
                limit = min(info.file_size, MAX_MEMBER_BYTES)
                self._budget.check(limit, where)
                with zf.open(info) as fh:
                    data = fh.read(limit + 1)
                    if len(data) == limit:
                        fh.read(1)  # reach the end of the stream, so zipfile checks the CRC-32
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise damaged_member(where, exc) from exc
        if len(data) > limit:
            raise IngestError(
                L_("a zip member inflates beyond its declared size (zip bomb?)"),
                where=where,
                hint=L_("Re-download the export; do not import files from untrusted sources"),
            )
        if len(data) < limit:
            raise IngestError(
                L_(
                    "the zip member is damaged: {n:,} bytes where its header declares {declared:,}",
                    n=len(data),
                    declared=info.file_size,
                ),
                where=where,
                hint=L_("Re-download the export; nothing was imported"),
            )
        self._budget.charge(len(data), where)
        return data

    def where(self, name: str) -> str:
        return f"{self.path}!{name}" if self.is_zip else str(self.path / name)


def damaged_member(where: str, exc: BaseException) -> IngestError:
    """The located error for a zip member that cannot be inflated (``exc`` from ``zipfile`` or ``zlib``)."""
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        what, hint = (
            L_("the zip member is encrypted (password-protected)"),
            L_("Export the data again without a password"),
        )
    elif isinstance(exc, NotImplementedError):
        what = L_("the zip member uses an unsupported compression ({reason})", reason=str(exc))
        hint = L_("Re-zip it with standard deflate")
    elif "CRC" in str(exc):
        what = L_("the zip member is damaged (its CRC-32 checksum does not match)")
        hint = L_("Re-download the export")
    else:
        what = L_("the zip member is damaged or truncated ({kind}: {reason})", kind=type(exc).__name__, reason=str(exc))
        hint = L_("Re-download the export")
    return IngestError(what, where=where, hint=L_("{hint}; nothing was imported", hint=hint))


@lru_cache(maxsize=64)
def _zip_names_cached(path: str, mtime: float, size: int) -> tuple[str, ...]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(
            L_("not a readable zip file ({reason})", reason=str(exc)),
            where=path,
            hint=L_("Re-download the export; the zip looks damaged"),
        ) from exc
    with zf:
        infos = zf.infolist()
    if len(infos) > _MAX_MEMBERS:
        raise IngestError(
            L_("the zip holds {n:,} files (too many)", n=len(infos)), where=path, hint=L_("Unpack it first")
        )
    total = 0
    names: list[str] = []
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
            raise IngestError(
                L_("the zip contains an unsafe path {name!r} (path traversal)", name=name),
                where=path,
                hint=L_("This is not a genuine export; nothing was imported"),
            )
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise IngestError(
                L_(
                    "the zip member {name!r} expands {ratio:,.0f}x (zip bomb?)",
                    name=name,
                    ratio=info.file_size / max(info.compress_size, 1),
                ),
                where=path,
                hint=L_("This is not a genuine export; nothing was imported"),
            )
        if not info.is_dir():
            names.append(name)
    if total > MAX_TOTAL_BYTES:
        raise IngestError(
            L_(
                "the zip would expand to {size:,.1f} GiB (limit {limit:.0f} GiB)",
                size=total / 1024**3,
                limit=MAX_TOTAL_BYTES / 1024**3,
            ),
            where=path,
            hint=L_("Unpack it yourself and import the folder, if you trust it"),
        )
    return tuple(sorted(names))


def _zip_names(path: Path) -> tuple[str, ...]:
    st = path.stat()
    return _zip_names_cached(str(path), st.st_mtime, st.st_size)


def _dir_names(path: Path, *, recursive: bool = True) -> tuple[str, ...]:
    names: list[str] = []
    for p in path.rglob("*") if recursive else path.iterdir():
        if p.is_file() and not p.is_symlink():
            names.append(p.relative_to(path).as_posix())
            if len(names) > _MAX_MEMBERS:
                break
    return tuple(sorted(names))


ZIP_MAGIC = b"PK\x03\x04"


def is_zip(path: Path, head: bytes | None = None) -> bool:
    """Whether ``path`` is a zip file (by its first bytes ``head``, read from the file when not given)."""
    if not path.is_file():
        return False
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(len(ZIP_MAGIC))
    return head.startswith(ZIP_MAGIC)


def open_archive(path: Path, *, recursive: bool = True) -> Archive:
    """Open a zip or a folder export (validating the zip's member list first); ``recursive=False`` sees only the
    folder's own files (for one file of an export given alone, next to unrelated files)."""
    return Archive(path, recursive=recursive)


def archive_has(path: Path, head: bytes, *names: str) -> bool:
    """Whether the zip or folder at ``path`` holds a member with one of these base names (for sniffers)."""
    if not (path.is_dir() or is_zip(path, head)):
        return False
    return bool(open_archive(path).find(*names))
