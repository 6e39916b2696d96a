#!/usr/bin/env bash
# `make install`: everything GeoCivic needs, installed only when missing (quick the second time).
#   1. Debian packages: GDAL/GEOS/PROJ, PostgreSQL 15 with PostGIS 3, Chromium for browser tests,
#      wrk for the load benchmark, nginx and Redis for the deployment test (never started as
#      services: the tests start their own on loopback).
#   2. The Python virtual environment in .venv/ with the dependencies of pyproject.toml.
#   3. Front-end packages from npm, as pinned by package-lock.json (with their optional
#      packages: esbuild's binary is one), then the front-end build into static_build/.
#   4. The federation tests' own environment .venv-fediverse/ (bovine, tests/federation).
#   5. Compiled translations (locale/*/LC_MESSAGES/*.mo) from the .po files.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(gdal-bin libgdal-dev libgeos-dev libproj-dev
              postgresql-15 postgresql-15-postgis-3 chromium wrk gettext
              nginx redis-server)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
command -v npm >/dev/null || missing+=(nodejs npm)
command -v python3 >/dev/null || missing+=(python3 python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install: Debian packages missing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "install: run this, then try again:"
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

python_ok=$(python3 -c 'import sys; print(int(sys.version_info[:2] == (3, 11)))')
if [ "$python_ok" != 1 ]; then
  echo "install: GeoCivic needs Python 3.11 (Django 5.2 LTS); python3 is $(python3 --version)"
  exit 1
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  # The dependencies listed in pyproject.toml, runtime and dev (the project itself is not built).
  .venv/bin/python - <<'PY' > .venv/requirements.txt
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
    print(requirement)
PY
  .venv/bin/python -m pip install -q -r .venv/requirements.txt
  rm -f .venv/.installed-*
  touch "$stamp"
  echo "install: Python packages installed in .venv/"
fi

# The federation tests' remote server (tests/federation/remote_server.py) runs bovine, an
# independent ActivityPub implementation, in a virtual environment of its own: its pins of
# cryptography and pyld must not constrain ours.
fediverse_stamp=.venv-fediverse/.installed-$(sha256sum tests/federation/requirements.txt | cut -c1-16)
if [ ! -f "$fediverse_stamp" ]; then
  [ -x .venv-fediverse/bin/python ] || python3 -m venv .venv-fediverse
  .venv-fediverse/bin/python -m pip install -q -r tests/federation/requirements.txt
  rm -f .venv-fediverse/.installed-*
  touch "$fediverse_stamp"
  echo "install: the federation tests' remote server installed in .venv-fediverse/"
fi

npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$npm_stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$npm_stamp"
  echo "install: front-end packages installed in node_modules/"
fi

# The front-end build (scripts/build.mjs), again whenever a source, the script or the lockfile
# changes: the hash of all of them names the stamp.
build_hash=$( (sha256sum package-lock.json scripts/build.mjs;
               find geo_civic -path '*/static/*' -type f -print0 | sort -z | xargs -0 sha256sum) \
             | sha256sum | cut -c1-16)
if [ ! -f "static_build/.built-$build_hash" ]; then
  node scripts/build.mjs >/dev/null
  touch "static_build/.built-$build_hash"
  echo "install: front end built into static_build/"
fi

for po in locale/*/LC_MESSAGES/*.po; do
  if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
    .venv/bin/django-admin compilemessages -i .venv -i node_modules -i .data >/dev/null
    echo "install: translations compiled"
    break
  fi
done
