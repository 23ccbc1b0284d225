#!/usr/bin/env bash
# Runs a command as ANOTHER machine: its own machine id, host name and network card, in new mount,
# network and UTS namespaces. Nothing of the real machine changes. Needs root.
#
#   other-machine.sh MACHINE_ID_FILE HOSTNAME MAC -- COMMAND [ARGS...]
#
# Standard output, standard error and the exit code are the command's.
set -euo pipefail
if [ $# -lt 5 ] || [ "$4" != "--" ]; then
  echo "usage: $0 MACHINE_ID_FILE HOSTNAME MAC -- COMMAND [ARGS...]" >&2
  exit 64
fi
id_file=$(realpath "$1"); host=$2; mac=$3; shift 4
if [ "$(id -u)" != 0 ]; then
  echo "other-machine.sh: needs root to create namespaces" >&2
  exit 77
fi
exec unshare -m -n -u --propagation private bash -c '
  set -e
  mount --bind "$1" /etc/machine-id
  mount -t sysfs sysfs /sys
  hostname "$2"
  ip link add eth0 type veth peer name veth-peer0  # "veth…" names are no part of an identity
  ip link set eth0 address "$3"
  shift 3
  exec "$@"
' other-machine "$id_file" "$host" "$mac" "$@"
