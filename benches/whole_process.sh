#!/usr/bin/env bash
# Whole-process measurements on the province database, the ones criterion
# cannot take from inside: the quick check as a user runs it, hledger's
# balance of the same ledger (for the ratio), and the dashboard's peak memory
# while a user opens every group.
#
#   benches/whole_process.sh [PROVINCE_DB]
#
# Needs hyperfine, hledger, tmux and GNU time (Debian: hyperfine hledger tmux
# time). Prints medians; writes its working files under target/whole-process.
set -euo pipefail
cd "$(dirname "$0")/.."

db=${1:-target/bench-province-db}
out=target/whole-process
bin=target/release/qiangji
mkdir -p "$out"
cargo build --release --quiet
if [ ! -d "$db" ]; then
    echo "building the province database in $db (under a minute)..."
    "$bin" demo --scale province --db "$db"
fi

median() { # hyperfine JSON -> median seconds of the first command
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

echo "== qiangji ledger --format json (whole process)"
hyperfine --warmup 3 --runs 20 --export-json "$out/ledger.json" \
    "$bin ledger --db $db --format json" >/dev/null
ledger=$(median "$out/ledger.json")
printf 'median %.1f ms\n' "$(python3 -c "print($ledger*1000)")"

echo "== qiangji check (whole process; always a private copy)"
hyperfine --warmup 1 --runs 5 --export-json "$out/check.json" \
    "$bin check --db $db" >/dev/null
printf 'median %.2f s\n' "$(median "$out/check.json")"

echo "== hledger bal on the same ledger"
"$bin" ledger --db "$db" --format hledger -o "$out/province.journal"
hyperfine --runs 3 --export-json "$out/hledger.json" \
    "hledger -f $out/province.journal bal --flat --no-total 资产" >/dev/null
hledger=$(median "$out/hledger.json")
printf 'median %.1f s, %.0f times the quick check\n' "$hledger" \
    "$(python3 -c "print($hledger/$ledger)")"
/usr/bin/time -f 'hledger peak memory %M KiB' \
    hledger -f "$out/province.journal" bal --flat --no-total 资产 >/dev/null

echo "== the dashboard's peak memory"
peak() { # keys to press after start-up -> peak RSS in KiB
    local session=qiangji-bench-$$
    rm -f "$out/time.txt"
    tmux new-session -d -s "$session" -x 120 -y 40 \
        "/usr/bin/time -f %M -o $out/time.txt $bin --db $db"
    sleep 2
    for key in "$@"; do
        tmux send-keys -t "$session" "$key"
        sleep 1.5
    done
    tmux send-keys -t "$session" q
    for _ in $(seq 50); do [ -s "$out/time.txt" ] && break; sleep 0.1; done
    tmux kill-session -t "$session" 2>/dev/null || true
    tail -n 1 "$out/time.txt"
}
echo "overview only:            $(peak) KiB"
echo "one group's workspace:    $(peak 1) KiB"
echo "all six groups in turn:   $(peak 1 Escape 2 Escape 3 Escape 4 Escape 5 Escape 6) KiB"
echo "ledger overview:          $(peak '$') KiB"
