#!/usr/bin/env bash
# Runs the GraphQL client scenario (test/*.test.js: Apollo Client with persisted queries and
# batching, urql with its default GET, graphql-request, graphql-codegen with persisted
# documents, the playground's login in headless Chromium, subscriptions through graphql-ws and
# Apollo's GraphQLWsLink) against a fresh Gorgon: npm ci (when
# node_modules is missing or stale), go build, a new uniquely named database, gorgon migrate +
# user + seed, gorgon serve on a free port, node --test, then stops the server and drops the
# database whatever happened. Exits non-zero when anything fails. Screenshots go to
# GRAPHQL_OUT (default a temporary folder, printed). Needs Debian's chromium (/usr/bin/chromium)
# for the playground step, which is skipped (and says so) without it.
#
# Needs: Go, node >= 20 with npm, psql, PostgreSQL on 127.0.0.1:5432 with trust auth for user
# postgres (GORGON_TEST_PG overrides the server URL, as for `go test`). GORGON_PORT picks the
# port instead of a free one; KEEP_DB=1 keeps the database for a look afterwards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenario=graphql
seed_file="$here/../medusajs/seed.json"
# shellcheck source=../fresh-gorgon.sh
source "$here/../fresh-gorgon.sh"

out=${GRAPHQL_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gorgon-graphql-out.XXXXXX")}
echo "==> node --test (GraphQL clients against Gorgon; screenshots in $out)"
cd "$here"
GORGON_URL="http://127.0.0.1:$port" GORGON_BIN="$work/gorgon" GRAPHQL_OUT="$out" \
	node --test --test-concurrency=1 --test-reporter=spec test/
