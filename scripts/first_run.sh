#!/usr/bin/env bash
# What scripts/run.sh does once the server is built and before it starts it: migrations, the
# seed tenant, the first platform admin (PLANBOARD_ADMIN_EMAIL, default admin@planboard.local)
# with a temporary password printed this once, and with `--demo` the labelled demo districts
# with that admin as their supervisor. Ends by printing the URL to open and how to sign in.
# The browser tests run it too, so what they sign in with is what a newcomer is shown.
# Usage: scripts/first_run.sh BACKEND_BINARY [--demo]; needs DATABASE_ADMIN_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

backend=${1:?usage: scripts/first_run.sh BACKEND_BINARY [--demo]}
DEMO=
case ${2:-} in
  --demo) DEMO=1 ;;
  '') ;;
  *) die "unknown option $2 (scripts/first_run.sh BACKEND_BINARY [--demo])" ;;
esac

"$backend" migrate
"$backend" seed
# The password is printed here, by the command line, and never reaches the server's log.
sign_in=$("$backend" admin ensure)
admin_email=$(printf '%s\n' "$sign_in" | sed -n 's/^platform admin: \([^ ,]*\).*/\1/p')
if [ -n "$DEMO" ]; then
  demo_districts=$(psql "$DATABASE_ADMIN_URL" -qtAX -c "select count(*) from tenant where is_demo")
  # Loaded once; the supervisor grant is added whatever was there before.
  "$backend" demo --tenants "$([ "$demo_districts" = 0 ] && echo 12 || echo 0)" --supervisor "$admin_email"
fi
url="http://${PLANBOARD_ADDR:-127.0.0.1:3000}/"
log "Planboard: open $url and sign in"
printf '%s\n' "$sign_in" | sed 's/^/    /' >&2
[ -z "$DEMO" ] || log "demo districts: ${url}regions/demo (labelled 示例 / Demo; backend demo --remove deletes them)"
