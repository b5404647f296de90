"""Every module of the package imports on its own, first, in a fresh interpreter state.

A circular import shows only when a module is imported before the modules that usually load it first
(``import signalboost.store.ingest_sql`` alone failed with "cannot import name 'STAGE_HASH' from partially
initialized module": it loads ``signalboost.ingest``, whose pipeline imported ``ingest_repeats_sql``, which
imported ``STAGE_HASH`` from the half-loaded ``ingest_sql``). One child process imports each module after
forgetting every ``signalboost`` module (third-party packages stay loaded, so this takes seconds).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import signalboost

_CHILD = r"""
import importlib, pkgutil, sys, traceback
import signalboost
names = sorted(m.name for m in pkgutil.walk_packages(signalboost.__path__, "signalboost."))
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m == "signalboost" or m.startswith("signalboost.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as exc:  # a cycle, or a module importing a name that is not there
        failed.append(f"{name}: {exc}")
print(len(names))
print("\n".join(failed))
"""


def test_every_module_imports_first_on_its_own() -> None:
    src = str(Path(signalboost.__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=600, check=True, cwd=src
    ).stdout.splitlines()
    assert int(out[0]) > 100  # the walk saw the package
    assert [line for line in out[1:] if line] == []
