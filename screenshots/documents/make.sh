#!/bin/sh
# Renders the documents the bureau files to PDF and a PNG of each first page,
# from a fresh city demo: the plan, the completion report, a base school's
# application (docx), the sign-in sheet of the math group's latest held
# Saturday session and the weekly timetable of its week (xlsx). Needs LibreOffice (soffice) and poppler-utils.
# Run from the project's root: sh screenshots/documents/make.sh
set -eu
out=screenshots/documents
bin=${QIANGJI:-target/debug/qiangji}
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
"$bin" demo --db "$db/db" >/dev/null
year=$(date +%Y)
"$bin" export plan --db "$db/db" --project math --year "$year" --format docx -o "$out/plan.docx"
"$bin" export report --db "$db/db" --project math --year $((year - 1)) --format docx -o "$out/report.docx"
school=$("$bin" export schools --db "$db/db" --format csv | sed -n 2p | cut -d, -f1 | tr -d '\357\273\277')
"$bin" export school-application --db "$db/db" --school "$school" --format docx -o "$out/school-application.docx"
session=$("$bin" export schedule --db "$db/db" --project math --format csv | grep ',课程,' | grep ',已举行,' | tail -1 | cut -d, -f1)
"$bin" export sign-in --db "$db/db" --session "$session" -o "$out/sign-in.xlsx"
# The timetable has a sheet a week with sessions, named by its Monday: the
# page to show is the sign-in session's week.
"$bin" export schedule --db "$db/db" --project math --format xlsx -o "$out/timetable.xlsx"
monday() { date -d "$1 -$(($(date -d "$1" +%u) - 1)) days" +%F; }
day=$("$bin" export schedule --db "$db/db" --project math --format csv | awk -F, -v id="$session" '$1 == id { print $3 }')
page=$("$bin" export schedule --db "$db/db" --project math --format csv | sed 1d | cut -d, -f3 |
    while read -r d; do monday "$d"; done | sort -u | grep -n "^$(monday "$day")$" | cut -d: -f1)
soffice --headless --convert-to pdf --outdir "$out" "$out/timetable.xlsx" >/dev/null
pdftoppm -png -r 70 -f "$page" -l "$page" -singlefile "$out/timetable.pdf" "$out/timetable"
rm "$out/timetable.xlsx"
for f in plan.docx report.docx school-application.docx sign-in.xlsx; do
    soffice --headless --convert-to pdf --outdir "$out" "$out/$f" >/dev/null
    pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$out/${f%.*}.pdf" "$out/${f%.*}"
    rm "$out/$f"
done
