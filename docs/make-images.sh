#!/bin/sh
# Draws the two pictures of printed output in docs/ from the current layouts:
#   xlsx-printed.png      page 1 of the Moser example's workbook as LibreOffice Calc prints it
#   handout-example.png   page 1 of the same example's handout as headless Chromium prints it
# Needs ldn-titrate installed, LibreOffice (soffice), Chromium and poppler-utils (pdftoppm).
# Run from the repository's root: sh docs/make-images.sh
set -eu
example=examples/moser-5mg-per-ml-liquid.toml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ldn-titrate plan "$example" --config none --format xlsx -o "$work/plan.xlsx"
soffice --headless -env:UserInstallation="file://$work/office" \
    --convert-to pdf --outdir "$work" "$work/plan.xlsx" >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/plan.pdf" docs/xlsx-printed

ldn-titrate plan "$example" --config none --format html -o "$work/handout.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/chromium" --no-pdf-header-footer \
    --print-to-pdf="$work/handout.pdf" "file://$work/handout.html" 2>/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/handout.pdf" docs/handout-example
