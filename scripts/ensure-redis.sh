#!/usr/bin/env bash
# Install Debian's redis-server for the prediction-cache tests (tests/api), if absent.
# Idempotent: does nothing when redis-server is already on PATH. Needs root (or sudo).
# The tests start their own redis-server on a free loopback port in a temp dir and stop it;
# the Debian service itself is neither enabled nor started here.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure-redis: redis-server missing and not root; install Debian 'redis-server'" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the package's post-install must not start a system-wide service.
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod +x "$POLICY"
    ADDED_POLICY=1
fi
cleanup() { if [ "$ADDED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends redis-server

if ! command -v redis-server >/dev/null 2>&1; then
    echo "ensure-redis: apt-get finished but redis-server is still absent" >&2
    exit 1
fi
