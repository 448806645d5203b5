#!/bin/bash
# Runs `vcsim` (vcenter-sim, through the wrapper first on PATH) the way govc's own test harness
# does (govc/test/test_helper.bash: vcsim_start, vcsim_stop, new_id, vcsim_env), and lists each
# started simulator's inventory with the govmomi program $LISTER (test/clients/govmomi/vcsimmodel).
# Prints one JSON document per step, one a line.
set -euo pipefail

BATS_TMPDIR=$(mktemp -d)
trap 'rm -rf "$BATS_TMPDIR"' EXIT

new_id() {
  echo "govc-test-$(vcsim uuidgen)"
}

vcsim_start() {
  GOVC_SIM_ENV="$BATS_TMPDIR/$(new_id)"
  export GOVC_SIM_ENV
  mkfifo "$GOVC_SIM_ENV"

  timeout -s QUIT 5m vcsim -l 127.0.0.1:0 -E "$GOVC_SIM_ENV" "$@" > /dev/null &
  pid=$!

  eval "$(head -n1 "$GOVC_SIM_ENV")"
  rm -f "$GOVC_SIM_ENV"
  GOVC_SIM_PID=$pid
}

vcsim_stop() {
  if kill "$GOVC_SIM_PID" 2>/dev/null ; then
    wait "$GOVC_SIM_PID" || true
  fi
  unset GOVC_SIM_PID
}

vcsim_env() {
  vcsim_start "$@"
  export GOVC_DATASTORE=LocalDS_0
}

list() {
  "$LISTER" -url "$GOVC_URL" -user user -password pass "$@"
}

echo "{\"id\":\"$(new_id)\",\"id2\":\"$(new_id)\"}"
echo "{\"version\":$(vcsim version | head -1 | sed 's/.*: //; s/.*/"&"/')}"

for flags in "-app 1 -pool 1" "-dc 2 -folder 1" "-esx -autostart=false" "-cluster 2 -host 4 -vm 8" "-api-version uE53DA"; do
  # shellcheck disable=SC2086
  vcsim_env $flags
  echo "{\"flags\":\"$flags\",\"url\":\"$GOVC_URL\",\"pid\":$GOVC_SIM_PID,\"about\":$(list -about),\"objects\":$(list)}"
  vcsim_stop
done

# -stdinexit: the simulator stops when its stdin ends, without a signal.
fifo="$BATS_TMPDIR/stdin"
mkfifo "$fifo"
env_fifo="$BATS_TMPDIR/env"
mkfifo "$env_fifo"
vcsim -l 127.0.0.1:0 -stdinexit -E "$env_fifo" < "$fifo" > "$BATS_TMPDIR/out" &
pid=$!
exec 3> "$fifo"
eval "$(head -n1 "$env_fifo")"
running=$(kill -0 "$pid" 2>/dev/null && echo true || echo false)
exec 3>&-
code=0
wait "$pid" || code=$?
echo "{\"stdinexit\":{\"runningBefore\":$running,\"exit\":$code,\"said\":\"$(grep -c 'Press any key to exit' "$BATS_TMPDIR/out")\"}}"
