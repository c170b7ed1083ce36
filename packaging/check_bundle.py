"""Measure a built bundle and run its self-test: size, start-up times, `--self-test`.

    python packaging/check_bundle.py [DIST]      # DIST: dist (default) or dist/onefile

Exits non-zero if the bundled self-test fails or the app dies before its window is open.
Standard library only, so any Python runs it.
Start-up is timed three ways:
- `--version`: the bundle's own start (bootloader, Python, the app's first imports);
- `--self-test`: a full run on a new database, through every layer but the window;
- the window: the app started on the self-test's database (offscreen, so no display is
  needed) until its log says the records are open, which happens once the window is shown
  and filled. "not measured" if that line never comes (a first-run dialog, say).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = "collab-desktop"
APP_BUNDLE = "Collab Desktop.app"
WINDOW_TIMEOUT = 20.0


def find_bundle(dist: Path) -> tuple[Path, Path]:
    """(what is handed out, the executable inside it)."""
    exe = NAME + (".exe" if sys.platform == "win32" else "")
    candidates = [
        (dist / APP_BUNDLE, dist / APP_BUNDLE / "Contents" / "MacOS" / NAME),
        (dist / NAME, dist / NAME / exe),
        (dist / exe, dist / exe),  # one file
    ]
    for bundle, program in candidates:
        if program.is_file():
            return bundle, program
    raise SystemExit(f"No bundle in {dist}: build it first (packaging/build.sh)")


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    began = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    return time.perf_counter() - began, result


def window_start(
    program: Path, data: Path, env: dict[str, str], extra: list[str] | None = None
) -> tuple[str, bool]:
    """Time to the window with the records open, and False if the app died on the way (an
    import the bundle lacks, say: the self-test never loads the window's modules)."""
    log = data / "logs" / "collab-desktop.log"
    before = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(program), "--data-dir", str(data), *(extra or [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while time.perf_counter() - began < WINDOW_TIMEOUT and process.poll() is None:
            if log.exists():
                added = log.read_text(encoding="utf-8", errors="replace")[len(before) :]
                if " Opened " in added:
                    return f"{time.perf_counter() - began:.2f} s", True
            time.sleep(0.02)
        if process.poll() is not None:
            errors = process.stderr.read().strip().splitlines()[-5:] if process.stderr else []
            detail = "".join(f"\n    {line}" for line in errors)
            return f"FAILED: the app stopped (exit {process.returncode}){detail}", False
        return "not measured (the log never said the records were open)", True
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else Path("dist")
    bundle, program = find_bundle(dist)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
    print(f"Bundle: {bundle}")
    print(f"Size: {size_of(bundle) / 2**20:.0f} MiB on disk")

    version_times = []
    for _ in range(5):
        seconds, result = timed([str(program), "--version"], env)
        if result.returncode != 0:
            print(f"--version failed:\n{result.stdout}{result.stderr}", file=sys.stderr)
            return 1
        version_times.append(seconds)
    print(
        f"Start-up, --version: {version_times[0]:.2f} s the first time, "
        f"{statistics.median(version_times[1:]):.2f} s after ({result.stdout.strip()})"
    )

    with tempfile.TemporaryDirectory(prefix="collab-desktop-bundle-check-") as folder:
        kept = Path(folder) / "self-test"
        seconds, result = timed([str(program), "--self-test", "--keep", str(kept)], env)
        print(f"Start-up, --self-test: {seconds:.2f} s, exit {result.returncode}")
        window_ok = True
        if result.returncode == 0 and "self-test: encrypted at rest: " not in result.stdout:
            print("The bundled self-test did not check the records are encrypted", file=sys.stderr)
            return 1
        if result.returncode == 0:
            # The self-test's records are encrypted (their unlock dialog would wait for a
            # person), so the window is started on the example records instead.
            demo = Path(folder) / "window"
            text, window_ok = window_start(program, demo, env, ["--demo"])
            print(f"Start-up, window with the records open: {text}")
        print("Bundled self-test:")
        sys.stdout.write("".join(f"  {line}\n" for line in result.stdout.splitlines()))
        sys.stdout.flush()
        if result.stderr:
            sys.stderr.write("".join(f"  {line}\n" for line in result.stderr.splitlines()))
    return result.returncode or (0 if window_ok else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
