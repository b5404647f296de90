"""`signalboost init | validate | schema | doc` through the real entry point (exit codes, JSON on stdout)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from signalboost.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_writes_a_valid_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "brand"
    code, out, _ = run(capsys, "init", str(ws), "--template", "clothing-store")
    assert code == 0
    assert (ws / "strategy.yaml").is_file() and (ws / "exports").is_dir()
    assert "clothing-store" in out
    code, out, _ = run(capsys, "validate", "-w", str(ws), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["valid"] is True and report["errors"] == 0 and report["problems"] == []


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "init", str(tmp_path), "-t", "blank")[0] == 0
    (tmp_path / "strategy.yaml").write_text("# my work\n", encoding="utf-8")
    code, _, err = run(capsys, "init", str(tmp_path), "-t", "cafe")
    assert code == 1
    assert "Error:" in err and "already exists" in err and "--force" in err
    assert (tmp_path / "strategy.yaml").read_text(encoding="utf-8") == "# my work\n"
    assert run(capsys, "init", str(tmp_path), "-t", "cafe", "--force", "--name", "Bean There")[0] == 0
    assert "  name: Bean There\n" in (tmp_path / "strategy.yaml").read_text(encoding="utf-8")


def test_init_unknown_template_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path), "--template", "bakery")
    assert code == 2
    assert "bakery" in err
    assert not (tmp_path / "strategy.yaml").exists()


def test_validate_invalid_exits_1_with_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path), "-t", "clothing-store")
    path = tmp_path / "strategy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = lines.index("    weight: 10\n")
    lines[n] = "    weight: 5\n"
    path.write_text("".join(lines), encoding="utf-8")
    code, out, err = run(capsys, "validate", "-w", str(tmp_path), "--format", "json")
    assert code == 1
    assert err == ""
    report = json.loads(out)
    assert report["valid"] is False and report["errors"] == 1
    (problem,) = report["problems"]
    assert problem["message"] == "pillar weights sum to 95, not 100"
    assert (problem["line"], problem["column"]) == (lines.index("pillars:\n") + 1, 1)


def test_validate_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "other.yaml"
    bad.write_text("brand:\n  name: Acme\n  timezon: UTC\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1
    assert "other.yaml:3:3: error: unknown key 'timezon' in brand; did you mean 'timezone'?" in out.replace("\n", " ")
    assert "1 error" in out


def test_validate_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = (Path(__file__).resolve().parents[1] / "data" / "strategy" / "base.yaml").read_text(encoding="utf-8")
    path = tmp_path / "strategy.yaml"
    path.write_text(base.replace("      last_reviewed: 2026-01-01\n", ""), encoding="utf-8")  # never reviewed
    assert run(capsys, "validate", str(path))[0] == 0
    assert run(capsys, "validate", str(path), "--strict")[0] == 1


def test_validate_without_strategy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "-w", str(tmp_path))
    assert code == 1
    assert "no strategy.yaml" in err and "signalboost init" in err


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert "pillars" in schema["properties"]


def test_doc_markdown_to_stdout_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path), "-t", "b2b-saas")
    code, out, _ = run(capsys, "doc", "-w", str(tmp_path))
    assert code == 0 and out.startswith("# Ledgerly — social-media strategy")
    target = tmp_path / "team.html"
    assert run(capsys, "doc", "-w", str(tmp_path), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run(capsys, "doc", "-w", str(tmp_path), "--format", "pdf")[0] == 0
    assert (tmp_path / "exports" / "strategy.pdf").read_bytes().startswith(b"%PDF")


def test_doc_refuses_an_invalid_strategy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "strategy.yaml").write_text("brand:\n  name: Acme\n  timezone: Mars/Base\n", encoding="utf-8")
    code, out, err = run(capsys, "doc", "-w", str(tmp_path))
    assert code == 1 and out == ""
    assert f"{tmp_path / 'strategy.yaml'}:3:13: unknown time zone 'Mars/Base'" in err.replace("\n", "")


def test_subprocess_exit_code_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "strategy.yaml").write_bytes(b"\x00\x01binary")
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "validate", "-w", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    problem = json.loads(proc.stdout)["problems"][0]
    assert (problem["message"], problem["line"], problem["column"]) == (
        "the file is binary, not YAML text (it contains a NUL byte)",
        1,
        1,
    )


@pytest.mark.parametrize("command", ["init", "validate", "schema", "doc"])
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert f"Example: signalboost {command}" in out.replace("\n", " ")
