#!/bin/bash
# The Debian packages a build needs, installed when they are missing (the Makefile runs this
# before every target that builds). Usage: scripts/system-deps.sh [--browser]
#   always:     graphviz (the flow charts), pango and DejaVu fonts (WeasyPrint prints the
#               traceability report into every HTML build)
#   --browser:  chromium as well (the tests and benchmarks drive it)
# Installs with apt-get as root, or through sudo; without either it stops and names the
# missing packages and the command to run. Only bash builtins look things up (command -v,
# [[ -e ]]), so a test can point PATH and SYSTEM_DEPS_ROOT (a file system root prefix,
# default /) at empty folders and see the message.
set -u

root="${SYSTEM_DEPS_ROOT:-}"
browser=0
[[ "${1:-}" == "--browser" ]] && browser=1

has_lib() {  # a shared library in one of Debian's library folders
    local dir
    for dir in "$root"/usr/lib/*-linux-gnu "$root"/usr/lib "$root"/usr/lib64 "$root"/lib/*-linux-gnu; do
        [[ -e "$dir/$1" ]] && return 0
    done
    return 1
}

missing_packages() {
    local missing=()
    ((browser)) && ! command -v chromium >/dev/null 2>&1 && missing+=(chromium)
    command -v dot >/dev/null 2>&1 || missing+=(graphviz)
    [[ -e "$root/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" ]] || missing+=(fonts-dejavu-core)
    has_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
    has_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
    echo "${missing[*]}"
}

missing="$(missing_packages)"
[[ -z "$missing" ]] && exit 0

sudo=""
if [[ "$EUID" != 0 ]] && command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
fi
if ! command -v apt-get >/dev/null 2>&1 || [[ "$EUID" != 0 && -z "$sudo" ]]; then
    {
        echo "Missing system packages: $missing"
        if command -v apt-get >/dev/null 2>&1; then
            echo "Cannot install them here (not root, and no sudo). As root, run:"
        else
            echo "Cannot install them here (no apt-get). On Debian or Ubuntu, as root, run:"
        fi
        echo "  apt-get update && apt-get install --no-install-recommends $missing"
    } >&2
    exit 1
fi

echo "Installing missing system packages: $missing${sudo:+ (with sudo)}"
# shellcheck disable=SC2086 # one word per package
$sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
still="$(missing_packages)"
if [[ -n "$still" ]]; then
    echo "Still missing after apt-get install: $still" >&2
    echo "  apt-get update && apt-get install --no-install-recommends $still" >&2
    exit 1
fi
