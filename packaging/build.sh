#!/usr/bin/env bash
# Builds the double-clickable bundle into dist/ (dist/collab-desktop/, and on macOS also
# "dist/Collab Desktop.app"), prints its size and start-up times, then runs its --self-test;
# exits non-zero if the build or the self-test fails.
#
#   bash packaging/build.sh                    # one folder: zip it and hand it out
#   COLLAB_ONEFILE=1 bash packaging/build.sh   # one file, in dist/onefile/
#
# Linux, macOS, and Windows (Git Bash). PyInstaller builds for the system it runs on only:
# build on each platform you hand out. It installs PyInstaller into .venv if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PYTHON:-}" ]; then
  py=$PYTHON
elif [ -x .venv/bin/python ]; then
  py=.venv/bin/python
elif [ -x .venv/Scripts/python.exe ]; then
  py=.venv/Scripts/python.exe
elif command -v dpkg-query >/dev/null 2>&1; then
  bash scripts/setup.sh
  py=.venv/bin/python
else
  echo "No .venv here: make it first (README, 'Windows and macOS'), then run this again." >&2
  exit 1
fi

"$py" -c "import collab_desktop, PySide6" 2>/dev/null || {
  echo "The app is not installed in .venv: run 'pip install -e \".[test]\"' there first." >&2
  exit 1
}
# Below 7: a new major version of PyInstaller should be tried on purpose, not by CI.
"$py" -c "import PyInstaller" 2>/dev/null || {
  echo "Installing PyInstaller into .venv …"
  "$py" -m pip install -q "pyinstaller>=6,<7"
}
# The bundled self-test reads its PDFs back with pypdf (a test dependency), so the bundle
# carries it; the spec refuses to build without it.
"$py" -c "import pypdf" 2>/dev/null || "$py" -m pip install -q "pypdf>=4"

dist=dist
if [ "${COLLAB_ONEFILE:-0}" != "0" ]; then dist=dist/onefile; fi

echo "Building with $("$py" -m PyInstaller --version) into $dist/ …"
started=$SECONDS
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath build/pyinstaller packaging/collab-desktop.spec
echo "Built in $((SECONDS - started)) s"

exec "$py" packaging/check_bundle.py "$dist"
