"""A tar archive (SNAP ego-Facebook ships as ``facebook.tar.gz``) is named as such, with how to unpack it; it was
called "a binary file, not an export Signalboost can read"."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from signalboost.errors import IngestError
from signalboost.ingest.registry import detect_format


@pytest.mark.parametrize("mode", ["w:gz", "w"])
def test_a_tar_archive_says_to_unpack_it(tmp_path: Path, mode: str) -> None:
    path = tmp_path / ("edges.tar.gz" if mode == "w:gz" else "edges.tar")
    data = b"1 2\n2 3\n"
    with tarfile.open(path, mode) as tar:
        info = tarfile.TarInfo("facebook/0.edges")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(IngestError, match="this is a tar archive, which Signalboost does not unpack") as exc:
        detect_format(path)
    assert "tar xzf FILE" in str(exc.value.hint)
