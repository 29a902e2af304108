#!/usr/bin/env bash
# Installs the real servers the oracle tests and the lab run against, and the editor the language
# server's end-to-end test drives (Neovim), as Debian packages, when they are missing. Needs root
# (as CI and a fresh machine have); without it, says so and leaves the tests to report the skip
# (which fails under CI=true).
set -u
packages=(apache2 uwsgi-core uwsgi-plugin-python3 libapache2-mod-wsgi-py3 pre-commit neovim)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "deploylint tests: cannot install ${missing[*]} (need root and apt-get); the oracle and lab tests will report the skip" >&2
  exit 0
fi
echo "deploylint tests: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Debian's apache2 postinst would start the service; a policy-rc.d that says no keeps the
# machine clean (the tests start their own servers in scratch directories).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
status=$?
[ $created_policy = 1 ] && rm -f "$policy"
exit $status
