#!/usr/bin/env bash
# Short libFuzzer run of every fuzz target (cargo fuzz), seeded from tests/vectors/.
# FUZZ_SECONDS (default 10) per target. The long campaign: see README "Fuzzing".
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
seconds="${FUZZ_SECONDS:-10}"
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz --locked
# cargo fuzz needs nightly flags: the rustup nightly toolchain when present, else stable with
# RUSTC_BOOTSTRAP (same compiler flags, sanitizer runtime ships with the toolchain).
if rustup run nightly rustc --version >/dev/null 2>&1; then
  fuzz() { cargo +nightly fuzz "$@"; }
else
  fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi
python3 fuzz/seed_corpora.py
cd fuzz
fuzz build -O
passed=0
failed=0
for target in $(fuzz list); do
  mkdir -p "corpus/$target"
  if fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 \
      -rss_limit_mb=4096 -print_final_stats=1 >"/tmp/fuzz-$target.log" 2>&1; then
    echo "fuzz $target: ok ($(grep -o "^Done [0-9]* runs" "/tmp/fuzz-$target.log" | awk "{print \$2}") runs in ${seconds} s)"
    passed=$((passed + 1))
  else
    echo "fuzz $target: CRASH"; tail -40 "/tmp/fuzz-$target.log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
