#!/bin/sh
# Runs the given scheduler command (for `make run`) and starts it again whenever it exits
# with status 75: a job hung past its maximum run time (see README, "Scheduler").
# SIGTERM or SIGINT stops the scheduler and this loop.
child=
stop() {
  [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child"
  exit 0
}
trap stop TERM INT
while :; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  [ "$status" -eq 75 ] || exit "$status"
  echo "scheduler exited with status 75 (a job ran past its maximum): restarting" >&2
  sleep 1
done
