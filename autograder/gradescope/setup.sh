#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image (Ubuntu 22.04).
# It installs only what grading needs: Python 3.10 from apt, a venv with the pinned packages
# of requirements.txt, bubblewrap for the sandbox (used when the container allows user
# namespaces; otherwise the sandbox falls back on running student code as a dedicated
# unprivileged uid, which needs no account: nothing to create here).
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")" && pwd)"
ROOT="${AUTOGRADER_ROOT:-/autograder}"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-pip python3-venv bubblewrap

python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
  -r "$SOURCE/requirements.txt"
chmod -R a+rX "$ROOT/venv"  # the unprivileged uid runs student code with this Python
