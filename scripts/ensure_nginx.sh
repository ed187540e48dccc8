#!/usr/bin/env bash
# Production mode (`make run-prod`) and its tests put the servers behind Debian's nginx. We only need
# the binary: the launcher runs its own nginx master with a generated config under .run/, never the
# system service, so installing the package must not leave a daemon on port 80.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[setup] installing Debian nginx (binary only) for the production mode"
  apt-get update -qq
  # policy-rc.d 101 keeps dpkg from starting the packaged service during installation.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  exit 0
fi
echo "[setup] warning: /usr/sbin/nginx is missing and cannot be installed without root;" \
     "production-mode tests will be skipped (apt-get install nginx-light)." >&2
