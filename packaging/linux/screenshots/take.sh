#!/bin/sh
# Retakes main-window.png, the screenshot the AppStream metadata shows: the bundled shop example,
# dev against prod, rendered offscreen at 1400x900 with a fresh home (no remembered session).
# Usage: sh packaging/linux/screenshots/take.sh [parity-gui]   (default: the one on PATH)
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
program=${1:-parity-gui}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cd "$here/../../../resources/examples/shop"
env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$home" \
    "$program" --screenshot "$here/main-window.png" --size 1400x900 --name dev --name prod \
    docker-compose.yml+docker-compose.override.yml+.env.development \
    docker-compose.yml+docker-compose.prod.yml+.env.production
