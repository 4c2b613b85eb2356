#!/usr/bin/env bash
# Installs the Debian packages Sinergi needs, when we are root and apt is available; otherwise says
# what is missing. Usage: scripts/system-deps.sh run|test|bench
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium gettext poppler-utils)
fi
[ "${1:-run}" = "bench" ] && want+=(wrk)  # page benchmarks (bench/pages.py) load pages with wrk
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages (as root): ${missing[*]}" >&2
  [ "${1:-run}" = "test" ] && exit 1 || exit 0
fi
