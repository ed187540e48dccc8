#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs 3.8-3.10; we use 3.10), or fail clearly.
set -euo pipefail
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
candidates+=("$(command -v python3.10 2>/dev/null || true)")
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/3.10.*; do candidates+=("$dir/bin/python"); done
fi
for dir in "$HOME"/.pyenv/versions/3.10.* /usr/local/bin /usr/bin; do candidates+=("$dir/python3.10" "$dir/bin/python"); done
for python in "${candidates[@]}"; do
  [ -n "$python" ] && [ -x "$python" ] || continue
  if "$python" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$python"; exit 0
  fi
done
cat >&2 <<'MSG'
error: no Python 3.10 interpreter found.
Rasa 3.6.21 (the bot) runs on Python 3.8-3.10 only. Install Python 3.10 (for example
`pyenv install 3.10.13` or your distribution's python3.10 with its venv module), or point
PYTHON310 at one: `make run PYTHON310=/path/to/python3.10`.
MSG
exit 1
