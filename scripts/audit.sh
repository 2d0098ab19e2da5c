#!/usr/bin/env bash
# Checks the locked production dependencies against npm's advisory database (high and critical only;
# dev-only tools such as the local S3 server never reach the image). The registry reachable from the
# build machines here answers the advisory endpoint with "405 Method Not Allowed": then the audit says
# plainly that it could not run, and CI goes on, rather than failing on something nobody can fix here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=$(npm audit --omit=dev --audit-level=high 2>&1) && status=0 || status=$?
if ((status == 0)); then
  echo "Dependency audit: no high or critical advisory in the production dependencies."
elif grep -qiE 'audit endpoint returned an error|405|ENOTFOUND|ECONNREFUSED|EAI_AGAIN' <<<"$out"; then
  echo "Dependency audit SKIPPED: the registry here does not answer npm's advisory endpoint. Run 'npm audit --omit=dev' where it does."
else
  printf '%s\n' "$out"
  echo "Dependency audit: high or critical advisories in the production dependencies (above)." >&2
  exit 1
fi
