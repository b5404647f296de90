"""``Workspace.strategy()`` keeps the parse while ``strategy.yaml``'s bytes are the same, and only then."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from signalboost.errors import StrategyError, WorkspaceError
from signalboost.model import validate
from signalboost.store.workspace import Workspace

STRATEGY = Path(__file__).resolve().parents[1] / "data" / "web" / "strategy.yaml"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(STRATEGY, w.strategy_path)
    return w


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the YAML parses (``validate_bytes`` calls)."""
    calls: list[int] = []
    real = validate.validate_bytes

    def counted(*args: object, **kwargs: object) -> validate.ValidationReport:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "validate_bytes", counted)
    return calls


def test_an_unchanged_file_is_parsed_once(ws: Workspace, parses: list[int]) -> None:
    first = ws.strategy()
    second = ws.strategy()
    assert len(parses) == 1
    assert first == second and first.brand.name == "Threadline"


def test_an_edit_of_the_same_size_and_time_is_read_again(ws: Workspace, parses: list[int]) -> None:
    """A rewrite inside the file system's timestamp resolution, at the same size, is still seen."""
    assert ws.strategy().brand.name == "Threadline"
    st = ws.strategy_path.stat()
    text = ws.strategy_path.read_text()
    ws.strategy_path.write_text(text.replace("name: Threadline", "name: Threadlime", 1))
    os.utime(ws.strategy_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert ws.strategy_path.stat().st_size == st.st_size
    assert ws.strategy().brand.name == "Threadlime"
    assert len(parses) == 2


def test_each_call_gets_its_own_copy(ws: Workspace) -> None:
    mine = ws.strategy()
    mine.brand.name = "changed by a caller"
    mine.pillars.clear()
    again = ws.strategy()
    assert again.brand.name == "Threadline" and again.pillars


def test_errors_are_raised_every_time_and_a_fix_is_seen(ws: Workspace) -> None:
    good = ws.strategy_path.read_text()
    ws.strategy_path.write_text(good + "\nnot_a_section: 1\n")
    for _ in range(2):
        with pytest.raises(StrategyError) as info:
            ws.strategy()
        assert "not_a_section" in info.value.message() and "strategy.yaml:" in info.value.message()
    ws.strategy_path.write_text(good)
    assert ws.strategy().brand.name == "Threadline"


def test_a_deleted_file_is_a_clear_error_not_the_old_parse(ws: Workspace) -> None:
    ws.strategy()
    ws.strategy_path.unlink()
    with pytest.raises(WorkspaceError) as info:
        ws.strategy()
    assert "signalboost init" in info.value.message()
