#!/usr/bin/env bash
# The Docker engine the engine tests run on: `start` installs Debian's docker.io when dockerd is
# missing and starts it (unless an engine already answers); `stop` stops only what start started.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .cache
pidfile=.cache/dockerd.pid

case "${1:-}" in
  start)
    if docker info >/dev/null 2>&1; then
      echo "dockerd: an engine already answers; using it"
      exit 0
    fi
    if ! command -v dockerd >/dev/null 2>&1; then
      echo "dockerd: not installed; installing Debian's docker.io"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables >/dev/null
    fi
    dockerd >.cache/dockerd.log 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 60); do
      if docker info >/dev/null 2>&1; then
        echo "dockerd: started ($(docker info --format '{{.ServerVersion}}, {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}'))"
        exit 0
      fi
      sleep 1
    done
    echo "dockerd: did not answer within 60 s; its log:" >&2
    tail -n 40 .cache/dockerd.log >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      rm -f "$pidfile"
      echo "dockerd: stopped"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
