#!/usr/bin/env bash
# Makes sure the browser tests have a browser: Debian's Chromium at /usr/bin/chromium (Playwright cannot
# download its own here; see ../shared/STACK.md). Idempotent: does nothing when a browser is already there.
# Installs only as root with apt-get; otherwise it says what to do and leaves the decision to the tests,
# which fail under CI=true when no browser exists (test/browser/support/chromium.ts).
set -uo pipefail

BROWSER=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$BROWSER" ]; then
  exit 0
fi
if [ "$BROWSER" != /usr/bin/chromium ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$BROWSER does not exist; apt-get can only provide /usr/bin/chromium" >&2
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $BROWSER is missing; installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq chromium >/dev/null && [ -x "$BROWSER" ]; then
    echo "ensure-chromium: installed $("$BROWSER" --version 2>/dev/null)"
    exit 0
  fi
  echo "ensure-chromium: apt-get could not install chromium" >&2
else
  echo "ensure-chromium: no browser at $BROWSER; install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
fi
# Not fatal here: outside CI the browser suites skip with this message; in CI they fail.
exit 0
