"""Mutation testing of the core modules with mutmut: kill rate per module and the surviving mutants.

Usage (from the project root; `make mutate` / `make mutate MODULE=plan/apportion.py` run this)::

    python scripts/mutate.py                       # every module listed in mutation.toml, one after the other
    python scripts/mutate.py plan/apportion.py     # one module (a path under src/signalboost)
    python scripts/mutate.py --report              # print the last results again, without running anything
    python scripts/mutate.py --survivors plan/apportion.py   # re-test only the last run's survivors, current tests
    python scripts/mutate.py ingest/generic.py --functions derived_id,_stages   # only those functions' mutants

For each module, a work copy of ``src/``, ``tests/`` and ``pyproject.toml`` is made under ``.mutate/<module>/`` with a
``[tool.mutmut]`` section that mutates that file only and runs only the fast test files ``mutation.toml`` lists for it
(markers ``slow``, ``browser``, ``spark``, ``shared`` left out), one mutant at a time by default (``--children``).
mutmut runs, for each mutant, only the tests of that subset that call the mutated function.

Kill rate = (killed + timed out) / (mutants − equivalent); a run stopped part-way (Ctrl-C) reports the mutants it
tested, with the number not checked, and ``--survivors`` re-tests only tested survivors. Equivalent mutants (no
input can change an output) are listed in ``mutation.toml`` (``[[equivalent]]``: module, function, the original
line, the mutated line, a reason) and taken out of the count; an entry that no longer matches a surviving mutant is
reported as stale. Mutants with no test of the subset reaching them count as survivors. Lines matching a
``skip_lines`` pattern of ``mutation.toml`` (the text of error messages and warnings) are not mutated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mutation.toml"
WORK = ROOT / ".mutate"
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
"""Statuses that count as caught (a segfault is the tests' process crashing on the mutant: the suite fails)."""


@dataclass
class Outcome:
    """The result of one module's run."""

    module: str
    total: int = 0
    killed: int = 0
    equivalent: list[str] = field(default_factory=list)
    survivors: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, status, before, after
    stale: list[str] = field(default_factory=list)
    unchecked: int = 0  # mutants a stopped (partial) run never tested: left out of the rate

    @property
    def rate(self) -> float | None:
        counted = self.total - self.unchecked - len(self.equivalent)
        return 100.0 * self.killed / counted if counted else None


def load_config() -> dict:  # type: ignore[type-arg]
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def prepare(module: str, tests: list[str], config: dict) -> Path:  # type: ignore[type-arg]
    """A fresh work copy for ``module`` with its ``[tool.mutmut]`` section."""
    work = WORK / slug(module)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    settings = config.get("settings", {})
    skip = [entry["pattern"] for entry in settings.get("skip_lines", [])]
    section = {
        "source_paths": ["src"],
        "only_mutate": [f"src/signalboost/{module}"],
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-m", settings.get("markers", "not slow")],
        "do_not_mutate_patterns": skip,
        "use_git_change_detection": False,
        # The tests use polars and DuckDB, whose thread pools do not survive a plain fork: fork each mutant from a
        # server that has only collected the tests.
        "process_isolation": "forkserver",
        "forkserver_warmup": "collect",
        # mutmut stops a mutant after 2 × multiplier × (its tests' time + 1 s) of CPU time; its default multiplier
        # 15 lets a mutant that loops forever hold a niced worker for hours on a shared machine
        "timeout_multiplier": float(settings.get("timeout_multiplier", 2.0)),
        # mutmut's test times are the wall time of each test's call phase only (no fixture set-up, no imports), but
        # its limit counts the worker's CPU time in every thread: the constant pays for those (mutation.toml)
        "timeout_constant": float(settings.get("timeout_constant", 10.0)),
    }
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text += "\n[tool.mutmut]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in section.items())
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


def refresh_tests(module: str, tests_from: Path = ROOT) -> tuple[Path, list[str]]:
    """For ``--survivors``: copy the current tests into the last work copy of ``module`` and list the mutants
    its last run did not kill, leaving out those listed as equivalent. Valid only while the module is unchanged
    (mutmut numbers mutants per function)."""
    work = WORK / slug(module)
    meta = work / "mutants" / "src" / "signalboost" / (module + ".meta")
    source = Path("src") / "signalboost" / module
    if not meta.exists():
        raise SystemExit(f"no earlier run of {module}: run `python scripts/mutate.py {module}` first")
    if (ROOT / source).read_bytes() != (work / source).read_bytes():
        raise SystemExit(f"{module} changed since its last run: the mutants differ, run it in full")
    names = [
        name for name, _status, _before, _after in collect(module, work, load_config().get("equivalent", [])).survivors
    ]
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for target in (work / "tests", work / "mutants" / "tests"):
        shutil.copytree(tests_from / "tests", target, ignore=ignore, dirs_exist_ok=True)
    # the test files mutation.toml lists now (a file added since the run), and mutmut's map of which tests call which
    # function collected again: with the first run's map a new test file is never run on the old survivors
    config = load_config()
    tests = config["modules"][module]["tests"]
    for pyproject in (work / "pyproject.toml", work / "mutants" / "pyproject.toml"):
        if pyproject.exists():
            text = pyproject.read_text(encoding="utf-8")
            text = re.sub(
                r"^pytest_add_cli_args_test_selection = .*$",
                lambda _m: f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
                text,
                flags=re.M,
            )
            pyproject.write_text(text, encoding="utf-8")
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    return work, names


def run_mutmut(work: Path, children: int, names: list[str] | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the mutated copy, not a worktree, is imported
    env.pop("SIGNALBOOST_SHARED_DATA", None)
    log = work / "mutmut.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *(names or [])],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return proc.returncode


def mutant_patterns(module: str, functions: str | None) -> list[str] | None:
    """mutmut's mutant-name patterns for the functions named in ``--functions`` (``None``: every mutant).

    mutmut names a function's mutants ``<module>.x_<function>__mutmut_<n>`` and a method's
    ``<module>.xǁ<Class>ǁ<method>__mutmut_<n>``."""
    if not functions:
        return None
    prefix = "signalboost." + slug(module)
    names = [f.strip() for f in functions.split(",") if f.strip()]
    return [
        f"{prefix}.xǁ{name.replace('.', 'ǁ')}__mutmut_*" if "." in name else f"{prefix}.x_{name}__mutmut_*"
        for name in names
    ]


def _changed_lines(diff: str) -> tuple[str, str]:
    before = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    after = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(before), " / ".join(after)


def _function(name: str) -> str:
    """``signalboost.plan.apportion.x__search__mutmut_12`` -> ``_search`` (methods: ``Class.method``)."""
    tail = name.rsplit(".", 1)[-1]
    tail = re.sub(r"__mutmut_\d+$", "", tail)
    tail = tail.removeprefix("x_") if not tail.startswith("xǁ") else tail.removeprefix("xǁ").replace("ǁ", ".")
    return tail


def collect(module: str, work: Path, equivalents: list[dict]) -> Outcome:  # type: ignore[type-arg]
    """Read mutmut's results for ``module`` and match the survivors against the equivalent-mutant list."""
    meta = work / "mutants" / "src" / "signalboost" / (module + ".meta")
    outcome = Outcome(module)
    if not meta.exists():
        return outcome
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    cwd = Path.cwd()
    os.chdir(work)
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
        from mutmut.stats import status_by_exit_code

        mine = [e for e in equivalents if e["module"] == module]
        used: set[int] = set()
        for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
            status = status_by_exit_code[code]
            outcome.total += 1
            if code is None:  # "not checked": the run was stopped before this mutant
                outcome.unchecked += 1
                continue
            if status in KILLED:
                outcome.killed += 1
                continue
            before, after = _changed_lines(get_diff_for_mutant(name, path=Path("src/signalboost") / module))
            match = next(
                (
                    i
                    for i, e in enumerate(mine)
                    if e["function"] == _function(name) and e["before"] == before and e["after"] == after
                ),
                None,
            )
            if match is not None:
                used.add(match)
                outcome.equivalent.append(name)
            else:
                outcome.survivors.append((name, status, before, after))
        outcome.stale = [f"{e['function']}: {e['before']} -> {e['after']}" for i, e in enumerate(mine) if i not in used]
    finally:
        os.chdir(cwd)
    return outcome


def _natural(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def show(outcome: Outcome, *, survivors: bool = True) -> None:
    rate = "n/a" if outcome.rate is None else f"{outcome.rate:.1f} %"
    print(
        f"{outcome.module}: {outcome.total} mutants, {outcome.killed} killed, {len(outcome.survivors)} survived, "
        f"{len(outcome.equivalent)} equivalent -> kill rate {rate}"
        + (f" (partial run: {outcome.unchecked} mutants not checked)" if outcome.unchecked else "")
    )
    if survivors:
        for name, status, before, after in outcome.survivors:
            print(f"  {status:9} {_function(name)} [{name.rsplit('_', 1)[-1]}]: {before}  ->  {after}")
        for entry in outcome.stale:
            print(f"  stale equivalent entry (matches no survivor): {entry}")


def summary(outcomes: list[Outcome]) -> None:
    print("\nkill rate per module (killed / (mutants - equivalent)):")
    for o in outcomes:
        rate = "n/a" if o.rate is None else f"{o.rate:5.1f} %"
        counted = o.total - o.unchecked - len(o.equivalent)
        partial = f"; {o.unchecked} not checked" if o.unchecked else ""
        print(f"  {o.module:32} {rate}   ({o.killed}/{counted}; {len(o.survivors)} survivors{partial})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules under src/signalboost (default: all in mutation.toml)")
    parser.add_argument("--children", type=int, default=1, help="mutants tested at once (default 1: CPU is shared)")
    parser.add_argument("--report", action="store_true", help="print the last results again; run nothing")
    parser.add_argument(
        "--survivors", action="store_true", help="re-test only the last run's surviving mutants with the current tests"
    )
    parser.add_argument(
        "--functions",
        help="comma-separated function names (fnmatch patterns; methods as Class.method): test only their mutants, "
        "e.g. the functions a change touched; the others are reported as not checked",
    )
    parser.add_argument(
        "--tests-from",
        type=Path,
        help="with --survivors: take the tests from this checkout (a branch with new tests, when the first run was "
        "made in a checkout of main)",
    )
    parser.add_argument("--json", type=Path, help="also write the per-module figures to this file")
    args = parser.parse_args(argv)
    config = load_config()
    listed: dict[str, dict] = config.get("modules", {})  # type: ignore[type-arg]
    modules = [m for spec in args.modules for m in spec.split(",") if m] or list(listed)
    unknown = [m for m in modules if m not in listed]
    if unknown:
        print(f"not in mutation.toml: {', '.join(unknown)}; modules: {', '.join(listed)}", file=sys.stderr)
        return 2
    outcomes = []
    for module in modules:
        if args.report:
            work = WORK / slug(module)
        elif args.survivors:
            work, names = refresh_tests(module, args.tests_from or ROOT)
            print(f"== {module}: re-testing {len(names)} surviving mutants with the current tests", flush=True)
            code = run_mutmut(work, args.children, names)
            if code != 0:
                print(f"mutmut failed (exit {code}); its output: {work / 'mutmut.log'}", file=sys.stderr)
                return code
        else:
            print(f"== {module}: mutating, tests {' '.join(listed[module]['tests'])}", flush=True)
            work = prepare(module, listed[module]["tests"], config)
            code = run_mutmut(work, args.children, mutant_patterns(module, args.functions))
            if code != 0:
                print(f"mutmut failed (exit {code}); its output: {work / 'mutmut.log'}", file=sys.stderr)
                return code
        outcome = collect(module, work, config.get("equivalent", []))
        show(outcome)
        outcomes.append(outcome)
    summary(outcomes)
    if args.json:
        figures = {o.module: {"mutants": o.total, "killed": o.killed, "equivalent": len(o.equivalent),
                              "survived": len(o.survivors), "not_checked": o.unchecked, "kill_rate": o.rate}
                   for o in outcomes}  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
