#!/usr/bin/env bash
# The command line end to end, as an operator types it, against a fake run
# in the background: seed 50 mandates, bill them with one decline and one
# payment the bank holds, dun by rerunning, settle the held payment, move
# the fake's clock past the settle window, check without charging, and
# verify that no bill was charged twice. Run by .ci/run; needs only Go.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d)
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ] && kill -0 "$fake_pid" 2>/dev/null; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

fail() {
  echo "cli-e2e: $*" >&2
  echo "--- the fake's output:" >&2
  cat "$dir/fake.log" >&2 || true
  exit 1
}

# expect CODE CMD...: run CMD (at most 60 s), print its output, and fail
# unless it exits with CODE.
expect() {
  local want=$1 code=0
  shift
  echo "\$ razorpay ${*:2}"
  timeout 60 "$@" >"$dir/out" 2>"$dir/err" || code=$?
  cat "$dir/out" "$dir/err"
  [ "$code" -eq "$want" ] || fail "razorpay ${*:2}: exit $code, want $want"
}

# contains TEXT: the last command's output has TEXT.
contains() {
  grep -qF -- "$1" "$dir/out" "$dir/err" || fail "the output has no \"$1\""
}

go build -o "$dir/razorpay" ./cmd/razorpay
rzp="$dir/razorpay"

# The fake picks a free port and says where it listens; wait for it.
"$rzp" fake --addr 127.0.0.1:0 >"$dir/fake.log" 2>&1 &
fake_pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^razorpay fake listening on //p' "$dir/fake.log")
  [ -n "$url" ] && break
  kill -0 "$fake_pid" 2>/dev/null || fail "the fake exited"
  sleep 0.05
done
[ -n "$url" ] || fail "the fake did not say where it listens within 10 s"
export RAZORPAY_BASE_URL="$url"
export RAZORPAY_KEY_ID=rzp_test_FakeRzpTestKey        # the fake's public test key
export RAZORPAY_KEY_SECRET=fakeRazorpayTestSecret42
expect 0 "$rzp" fake clock # its control API answers

echo "\$ razorpay fake mandates -n 50 > bills.csv"
timeout 60 "$rzp" fake mandates -n 50 >"$dir/bills.csv" || fail "fake mandates"
[ "$(wc -l <"$dir/bills.csv")" -eq 51 ] || fail "bills.csv has $(wc -l <"$dir/bills.csv") lines, want 51"
declined=$(sed -n '8p' "$dir/bills.csv" | cut -d, -f5)
held=$(sed -n '13p' "$dir/bills.csv" | cut -d, -f5)

expect 0 "$rzp" fake decline --receipt "$declined" --reason "Insufficient funds"
expect 0 "$rzp" fake hold --receipt "$held"
expect 0 "$rzp" bill --in "$dir/bills.csv" --out "$dir/report.csv"
contains "50 bills: 48 charged, 0 already charged, 1 pending, 1 not charged, 0 unknown, 0 invalid"
contains "Insufficient funds"
[ "$(grep -c ',charged,' "$dir/report.csv")" -eq 48 ] || fail "the report has not 48 charged bills"

# Dunning: the same file again charges the declined bill, and only it.
expect 0 "$rzp" bill --in "$dir/bills.csv"
contains "50 bills: 1 charged, 48 already charged, 1 pending, 0 not charged"

# The bank confirms the held payment; the settle window passes at once.
expect 0 "$rzp" fake capture --receipt "$held"
expect 0 "$rzp" fake clock advance 16m
expect 0 "$rzp" bill --check --in "$dir/bills.csv"
contains "50 bills checked (nothing charged): 50 charged, 0 pending, 0 not charged, 0 unknown, 0 invalid"

expect 0 "$rzp" fake verify
contains "50 bills: 50 charged, 0 pending, 0 refunded, 0 not charged"
contains "0 double charges"

# The control commands refuse what is not a fake (here: nothing listens).
expect 1 "$rzp" fake verify --base-url http://127.0.0.1:1
contains "no fake answers at http://127.0.0.1:1"

echo "cli-e2e: ok"
