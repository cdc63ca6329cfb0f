#!/usr/bin/env bash
# Refresh the vendored Leaflet files (and the two plugins the maps use) from the npm registry.
#
# Why vendored: the maps must load from the site itself (no CDN; works where CDNs are slow or
# blocked, and is testable offline). Files are copied byte for byte from the official npm
# tarballs, whose integrity npm checks; VERSIONS records what was taken and SHA256SUMS lets a
# test (tests/test_maps_web.py) notice any hand edit.
#
# Usage: maps/vendor/update-leaflet.sh   (needs npm, tar, sha256sum; run from anywhere)
# To upgrade, change a version below, run the script, run the tests, review the diff.
set -euo pipefail

LEAFLET_VERSION=1.9.4
MARKERCLUSTER_VERSION=1.5.3
LOCATECONTROL_VERSION=0.90.1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION: unpack the npm tarball into $work/NAME/package
fetch() {
    local name="$1" version="$2" tarball
    tarball="$(cd "$work" && npm pack --silent "$name@$version")"
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name"
    printf '%s %s %s\n' "$name" "$version" \
        "$(npm view --silent "$name@$version" dist.integrity)" >>"$work/VERSIONS"
}

# take NAME DEST FILE...: copy FILEs (relative to the package root) into $here/DEST
take() {
    local name="$1" dest="$2" file
    shift 2
    rm -rf "${here:?}/$dest"
    mkdir -p "$here/$dest"
    for file in "$@"; do
        mkdir -p "$here/$dest/$(dirname "${file#dist/}")"
        cp "$work/$name/package/$file" "$here/$dest/${file#dist/}"
    done
}

{
    echo "# Vendored from the npm registry by update-leaflet.sh; do not edit by hand."
    echo "# package version npm-integrity"
} >"$work/VERSIONS"

fetch leaflet "$LEAFLET_VERSION"
take leaflet leaflet LICENSE dist/leaflet.js dist/leaflet.css \
    dist/images/layers.png dist/images/layers-2x.png dist/images/marker-icon.png \
    dist/images/marker-icon-2x.png dist/images/marker-shadow.png

fetch leaflet.markercluster "$MARKERCLUSTER_VERSION"
take leaflet.markercluster leaflet.markercluster MIT-LICENCE.txt \
    dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css

fetch leaflet.locatecontrol "$LOCATECONTROL_VERSION"
take leaflet.locatecontrol leaflet.locatecontrol LICENSE.md \
    dist/L.Control.Locate.min.js dist/L.Control.Locate.min.css

cp "$work/VERSIONS" "$here/VERSIONS"
(cd "$here" && find leaflet leaflet.markercluster leaflet.locatecontrol -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum >SHA256SUMS)
