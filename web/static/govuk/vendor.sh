#!/usr/bin/env bash
# Vendors the GOV.UK Frontend stylesheet (MIT) from npm into web/static/govuk
# and axe-core (MPL-2.0, tests only) into web/testdata/axe. Run from the
# repository root: bash web/static/govuk/vendor.sh. Needs npm; nothing is
# fetched at run time, the files are embedded into the binary.
#
# The stylesheet is rewritten as it is copied: the GDS Transport typeface and
# the crown/crest images are for services on GOV.UK only, and this is not one,
# so their @font-face rules are removed and "GDS Transport" is dropped from
# every font stack (GOV.UK's own fallback, Arial, is used), and the crest
# url() references are removed. The rest is GOV.UK Frontend as published.
set -euo pipefail
GOVUK=6.6.0
AXE=4.14.1
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "govuk-frontend@$GOVUK" "axe-core@$AXE" >/dev/null
mkdir g a
tar xzf "govuk-frontend-$GOVUK.tgz" -C g
tar xzf "axe-core-$AXE.tgz" -C a
sed -e 's/@font-face{[^}]*}//g' \
    -e 's/font-family:GDS Transport,/font-family:/g' \
    -e 's/font-family:GDS Transport\([;}]\)/font-family:arial,sans-serif\1/g' \
    -e 's/url(\/assets\/images\/govuk-crest.svg)/none/g' \
    g/package/dist/govuk/govuk-frontend.min.css > "$root/web/static/govuk/govuk-frontend.min.css"
if grep -q 'GDS Transport\|/assets/' "$root/web/static/govuk/govuk-frontend.min.css"; then
	echo "vendor.sh: the stylesheet still names GDS Transport or /assets/: update the rewrite" >&2
	exit 1
fi
cp a/package/axe.min.js a/package/LICENSE "$root/web/testdata/axe/"
{
	echo "GOV.UK Frontend $GOVUK (npm govuk-frontend), dist/govuk/govuk-frontend.min.css"
	echo "sha1 of the npm tarball: $(sha1sum "govuk-frontend-$GOVUK.tgz" | cut -d' ' -f1)"
	echo "Licence: MIT (c) Crown copyright (Government Digital Service); see LICENSE."
	echo "Rewritten by vendor.sh: no GDS Transport @font-face or font stack entry, no crest image."
} > "$root/web/static/govuk/PROVENANCE.txt"
{
	echo "axe-core $AXE (npm axe-core), axe.min.js, injected by the browser tests only (never served)."
	echo "sha1 of the npm tarball: $(sha1sum "axe-core-$AXE.tgz" | cut -d' ' -f1)"
	echo "Licence: MPL-2.0; see LICENSE beside this file."
} > "$root/web/testdata/axe/PROVENANCE.txt"
