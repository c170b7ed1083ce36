#!/usr/bin/env bash
# Prepares this checkout to run: the system libraries Qt needs (Debian/Ubuntu), then a
# virtual environment in .venv with the app and its test tools. Safe to run again: it installs
# only what is missing, so the run and test commands can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

# Libraries Qt's xcb (real window) and offscreen platforms load at run time; without them
# `import PySide6.QtWidgets` fails on libGL, and a window aborts on libxcb-cursor.
QT_DEBS=(libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
         libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
         libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1
         libxcb-xkb1 fonts-dejavu-core)
EXTRA_DEBS=("$@")   # e.g. xvfb xauth poppler-utils for screenshots

install_debs() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: see README
  local missing=()
  local wanted=("${QT_DEBS[@]}" "${EXTRA_DEBS[@]}")
  # Debian's own Python splits venv and ensurepip into a separate package.
  "${PYTHON:-python3}" -c "import ensurepip, venv" 2>/dev/null || wanted+=(python3-venv)
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Please install these system packages as root: ${missing[*]}" >&2; return 1
    fi
  fi
  echo "Installing system libraries: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

install_python() {
  local py="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  # Reinstall only when the declared dependencies change.
  local stamp=.venv/.collab-desktop-installed
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Collab Desktop and its Python packages into .venv …"
    # Quiet unless it fails: pip's chatter would bury the app's own messages.
    if ! { .venv/bin/python -m pip install -q --upgrade pip &&
           .venv/bin/python -m pip install -q -e ".[test]"; } > .venv/install.log 2>&1; then
      cat .venv/install.log >&2
      echo "Installing the Python packages failed (log above)." >&2
      return 1
    fi
    echo "$want" > "$stamp"
  fi
}

install_debs
install_python
