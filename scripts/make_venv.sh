#!/usr/bin/env bash
# make_venv.sh DIR PYTHON REQUIREMENTS... : create (or refresh) a virtual environment, showing progress.
set -euo pipefail
dir=$1; python=$2; shift 2
if [ ! -x "$dir/bin/python" ]; then
  echo "[setup] creating $dir with $("$python" --version 2>&1)"
  "$python" -m venv "$dir"
fi
echo "[setup] installing into $dir: $* (the bot's Rasa takes a few minutes the first time)"
# Only pip itself: a newer wheel/packaging would fight Rasa's pins.
"$dir/bin/python" -m pip install --upgrade --quiet pip 2>&1 | { grep -v "^WARNING: Location" || true; }
args=(); for req in "$@"; do args+=(-r "$req"); done
# --progress-bar on shows each download; pip's resolver lines show what is being installed.
if ! "$dir/bin/python" -m pip install --progress-bar on "${args[@]}" 2>&1 \
    | { grep -Ev "^(WARNING: Location|  Using cached|Requirement already satisfied)" || true; }; then
  echo "[setup] pip install into $dir failed" >&2; exit 1
fi
touch "$dir/.installed"
