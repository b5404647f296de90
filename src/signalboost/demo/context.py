"""What the demo steps share: the workspace, the console and the files written so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from signalboost.store.workspace import Workspace


@dataclass
class DemoContext:
    """The state one ``signalboost demo`` run passes from step to step."""

    workspace: Workspace
    console: Console
    outputs: dict[str, Path] = field(default_factory=dict)
