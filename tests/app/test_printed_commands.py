"""Every command the README's quick start shows, and every command `make run` and the
demo targets print, works exactly as printed in a fresh shell.

A fresh shell has no PORTAL_ENV, SECRET_KEY or DATABASE_URL, so the commands run with
only PATH and HOME. They run in a copy of the working tree (its own instance/ folder;
the virtualenv is borrowed through symlinks), so the developer's demo database is never
touched. Commands that serve until stopped, or that are the whole suite, are listed
with the reason they are not run; a command that is printed but in neither list fails
the test, so a new one is never missed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
# What the commands need to run: the app, its templates, catalogues and the Makefile.
COPIED = ("portal", "templates", "static", "translations", "Makefile", "pyproject.toml")
COPIED_FILES = ("README.md", "babel.cfg")

# Run in the copy, in this order, each checked by what it must print.
RUN = {
    "make help": "reset-demo",
    "make reset-demo": "The demo database is new.",
    "make demo-code": re.compile(r"^\d{6}$"),
}
# Printed, but not run here.
NOT_RUN = {
    "make run": "serves the portal until stopped",
    "make test": "is the whole suite, this test included",
}
# Commands, wherever they appear in the README's quick start or in printed output: a
# make target, or one of the portal's flask commands (as printed, with any path).
COMMAND = re.compile(
    r"(?<![\w/.-])(?:make [a-z][\w-]*|(?:\.venv/bin/)?flask --app portal [a-z][\w-]*)"
)


def _quick_start() -> str:
    """The README from "## Quick start" to the next top-level section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Quick start")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def _readme_commands() -> set[str]:
    """Backticked commands, and each line of a fenced block without its comment."""
    text = _quick_start()
    shown = re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text)
    for block in re.findall(r"```\w*\n(.*?)```", text, flags=re.DOTALL):
        shown += [line.split("#", 1)[0] for line in block.splitlines()]
    return {" ".join(found.split()) for found in shown if COMMAND.fullmatch(found.strip())}


def _printed_commands(output: str) -> set[str]:
    return {match.group(0) for match in COMMAND.finditer(output)}


def _clean_environment(home: Path) -> dict[str, str]:
    """What a new terminal has: PATH (without an activated virtualenv) and HOME."""
    path = os.pathsep.join(
        entry
        for entry in os.environ.get("PATH", os.defpath).split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(VENV.resolve())
    )
    return {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8"}


def _working_copy(tmp: Path) -> Path:
    """The working tree's files the commands use, with the virtualenv linked in.

    .venv is a folder of symlinks with its own install stamp, newer than the copied
    pyproject.toml, so make never reinstalls (which would point the developer's
    virtualenv at the copy).
    """
    copy = tmp / "portal-copy"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, copy / name)
    venv = copy / ".venv"
    venv.mkdir()
    for entry in VENV.iterdir():
        if entry.name != ".installed":
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()
    stamp_time = time.time()
    os.utime(copy / "pyproject.toml", (stamp_time - 60, stamp_time - 60))
    return copy


def _run(command: str, copy: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def fresh_shell(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if shutil.which("make") is None:
        if IN_CI:
            pytest.fail("make is needed to check the printed commands in CI")
        pytest.skip("make is not installed: the printed commands cannot be checked")
    if not (VENV / "bin" / "flask").exists():
        pytest.skip("the commands run with .venv: make install creates it")
    home = tmp_path / "home"
    home.mkdir()
    return _working_copy(tmp_path), _clean_environment(home)


def test_the_readme_quick_start_lists_exactly_the_commands_this_test_knows() -> None:
    assert _readme_commands() == set(RUN) | set(NOT_RUN)


def test_every_printed_command_works_as_printed_in_a_fresh_shell(
    fresh_shell: tuple[Path, dict[str, str]],
) -> None:
    copy, env = fresh_shell
    ours = ROOT / "instance" / "portal.sqlite3"
    ours_before = ours.stat().st_mtime_ns if ours.exists() else None
    printed: dict[str, set[str]] = {}

    for command, expected in RUN.items():
        done = _run(command, copy, env)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{command} failed as printed:\n{output}"
        if isinstance(expected, re.Pattern):
            assert expected.fullmatch(done.stdout.strip()), f"{command}:\n{output}"
        else:
            assert expected in done.stdout, f"{command}:\n{output}"
        printed[command] = _printed_commands(done.stdout)
    assert (copy / "instance" / "portal.sqlite3").exists()

    # What `make run` prints before serving: after `make db` seeded the new database,
    # its own seeding prints the sign-in guide and nothing about data already there.
    guide = _run(
        ".venv/bin/flask --app portal seed-demo", copy, {**env, "PORTAL_ENV": "development"}
    )
    assert guide.returncode == 0, guide.stderr
    assert guide.stdout.startswith("Demo sign-in"), guide.stdout
    assert "already there" not in guide.stdout
    printed["seed-demo (as make run runs it)"] = _printed_commands(guide.stdout)

    for source, commands in printed.items():
        unknown = commands - set(RUN) - set(NOT_RUN)
        assert not unknown, f"{source} prints commands this test does not run: {unknown}"
    assert "make demo-code" in printed["seed-demo (as make run runs it)"]
    assert "make run" in printed["make reset-demo"]
    assert (ours.stat().st_mtime_ns if ours.exists() else None) == ours_before


def test_reset_demo_refuses_outside_development_and_for_another_database(
    fresh_shell: tuple[Path, dict[str, str]],
) -> None:
    copy, env = fresh_shell
    demo = copy / "instance" / "portal.sqlite3"
    demo.parent.mkdir()
    demo.write_bytes(b"the developer's demo")
    for extra, says in (
        ({"PORTAL_ENV": "production"}, "only with PORTAL_ENV=development"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1/h12"}, "DATABASE_URL is set"),
    ):
        refused = _run("make reset-demo", copy, {**env, **extra})
        assert refused.returncode != 0
        assert says in refused.stderr
        assert demo.read_bytes() == b"the developer's demo"
