#!/bin/sh
# Puts parity on the desktop: launcher entry, AppStream metadata, MIME types and icons.
#
#   sh install.sh [PREFIX]                 PREFIX defaults to ~/.local (one user); /usr/local for everyone
#   DESTDIR=/tmp/stage sh install.sh /usr  stages the files for a distribution package (no cache updates)
#
# Runs from a source tree (packaging/linux/ with resources/ two levels up) or from the desktop
# bundle (linux/ inside the bundle folder), where it also links PREFIX/bin/parity and
# PREFIX/bin/parity-gui to the bundle's programs so that the launcher entry finds them.
set -eu
APP_ID=io.github.paritygui.Parity
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
prefix=${1:-$HOME/.local}
root=${DESTDIR:-}$prefix

if [ -d "$here/../../resources/icons" ]; then
    icons=$here/../../resources/icons                      # a source tree
elif [ -d "$here/../_internal/parity_gui/resources/icons" ]; then
    icons=$here/../_internal/parity_gui/resources/icons    # the desktop bundle
else
    echo "install.sh: parity's icons are neither in $here/../../resources/icons nor in $here/../_internal" >&2
    exit 1
fi

install -D -m 644 "$here/$APP_ID.desktop" "$root/share/applications/$APP_ID.desktop"
install -D -m 644 "$here/$APP_ID.metainfo.xml" "$root/share/metainfo/$APP_ID.metainfo.xml"
install -D -m 644 "$here/$APP_ID.mime.xml" "$root/share/mime/packages/$APP_ID.xml"
install -D -m 644 "$icons/parity.svg" "$root/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for png in "$icons"/hicolor/*/apps/"$APP_ID".png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    install -D -m 644 "$png" "$root/share/icons/hicolor/$size/apps/$APP_ID.png"
done

bundle=$(dirname "$here")
if [ -x "$bundle/parity" ] && [ -x "$bundle/parity-gui" ]; then
    mkdir -p "$root/bin"
    ln -sf "$bundle/parity" "$root/bin/parity"
    ln -sf "$bundle/parity-gui" "$root/bin/parity-gui"
fi

if [ -z "${DESTDIR:-}" ]; then
    if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$root/share/mime"; fi
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$root/share/applications"; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$root/share/icons/hicolor" || true; fi
fi
echo "parity's desktop entry, metadata, MIME types and icons are in $root/share"
