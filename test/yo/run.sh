#!/usr/bin/env bash
# The `yo secure-container` path, for real: pack this package, install it with yo 7 into an
# unprivileged user's npm prefix (yo refuses to run as root), run the generator on a copy of the
# bundled example, and check that it wrote exactly what the package's own bin writes (same core)
# and that the result passes the audit. Needs root (to create the user) and the npm registry.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
user=${YO_TEST_USER:-scyo}
work=$(mktemp -d /tmp/sc-yo.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)

echo "packing the generator"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tgz=$(ls "$work"/generator-secure-container-*.tgz)
chmod 644 "$tgz"

as_user() { runuser -u "$user" -- env HOME="$home" NPM_CONFIG_PREFIX="$home/.npm-global" PATH="$home/.npm-global/bin:/usr/local/bin:/usr/bin:/bin" NO_UPDATE_NOTIFIER=1 CI=true "$@"; }

echo "installing yo@7 and the packed generator for $user"
as_user npm install --global --no-audit --no-fund --loglevel=error yo@7 "$tgz" >/dev/null

for d in by-yo by-bin; do cp -r "$repo/examples/node-app" "$work/$d"; done
chown -R "$user" "$work/by-yo" "$work/by-bin"

echo "yo refuses root (so this test must run it as $user)"
if (cd "$work/by-bin" && PATH="$home/.npm-global/bin:$PATH" yo secure-container --yes >/dev/null 2>&1); then fail "yo ran as root"; fi

echo "running: yo secure-container --yes --data-dir /data --secret db_password (as $user)"
as_user bash -c "cd '$work/by-yo' && yo secure-container --yes --data-dir /data --secret db_password" > "$work/yo.log" 2>&1 || { cat "$work/yo.log"; fail "yo secure-container exited non-zero"; }
# the first-run screen: each file once (the plan), no Yeoman file list or package.json message, next steps last
grep -Eq '^ +create +generator state: \.yo-rc\.json, \.secure-container/' "$work/yo.log" || { cat "$work/yo.log"; fail "the plan has no one-line generator state"; }
if grep -Eq '^ +(create|force) +\.(yo-rc\.json|secure-container/)|package\.json was detected|An error occured' "$work/yo.log"; then cat "$work/yo.log"; fail "Yeoman's own file list or messages are back"; fi
grep -q 'docker compose up -d' "$work/yo.log" || { cat "$work/yo.log"; fail "no next steps at the end"; }
echo "running the package's bin on a second copy"
as_user bash -c "cd '$work/by-bin' && secure-container init --yes --data-dir /data --secret db_password" > "$work/bin.log" 2>&1 || { cat "$work/bin.log"; fail "secure-container init exited non-zero"; }

for f in Dockerfile .dockerignore compose.yaml README.Docker.md secrets/README.md .secure-container/manifest.json; do
  [ -f "$work/by-yo/$f" ] || { cat "$work/yo.log"; fail "yo did not write $f"; }
  cmp -s "$work/by-yo/$f" "$work/by-bin/$f" || { diff -u "$work/by-bin/$f" "$work/by-yo/$f" | head -40; fail "$f differs between yo and the bin"; }
done
grep -q '^USER 65532:65532$' "$work/by-yo/Dockerfile" || fail "Dockerfile written by yo has no numeric non-root USER"

echo "auditing what yo wrote"
as_user bash -c "cd '$work/by-yo' && secure-container audit --fail-on error ." || fail "the audit flags what yo wrote"

echo "re-running yo with the same answers changes nothing (it takes the upgrade path: state exists)"
before=$(cd "$work/by-yo" && find . -type f -not -name '*.log' | sort | xargs sha256sum)
as_user bash -c "cd '$work/by-yo' && yo secure-container --yes" > "$work/yo2.log" 2>&1 || { cat "$work/yo2.log"; fail "second yo run failed"; }
after=$(cd "$work/by-yo" && find . -type f -not -name '*.log' | sort | xargs sha256sum)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); fail "second run changed files"; }
grep -Eq 'unchanged +Dockerfile' "$work/yo2.log" || { cat "$work/yo2.log"; fail "second run did not report Dockerfile unchanged"; }

echo "yo in a folder with no app refuses with exit 2 and one line, and writes nothing"
mkdir "$work/empty" && chown "$user" "$work/empty"
set +e
as_user bash -c "cd '$work/empty' && yo secure-container --yes" > "$work/empty.log" 2>&1
code=$?
set -e
[ "$code" = 2 ] || { cat "$work/empty.log"; fail "yo in an empty folder exited $code, not 2"; }
grep -q '^secure-container: no app found: looked for package.json' "$work/empty.log" || { cat "$work/empty.log"; fail "no 'no app found' line"; }
[ -z "$(ls -A "$work/empty")" ] || fail "yo wrote files into an empty folder"

echo "yo path: OK (yo $(as_user yo --version))"
