#!/usr/bin/env bash
# Installs what is missing, then starts Collab Desktop. Arguments go to the app
# (for example --demo, or --data-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/collab-desktop "$@"
