#!/usr/bin/env bash
# Prints the DDL that creates prisma/schema.prisma from an empty database.
# Prisma 7's CLI needs a native schema engine it cannot download offline; Prisma 6's
# JS engine renders the same DDL from a copy of the schema in its dialect.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -d "$here/node_modules/prisma" ] || npm ci --prefix "$here" --no-audit --no-fund >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/provider *= "prisma-client"/provider = "prisma-client-js"/' \
    -e '/moduleFormat/d' -e '/^ *output *=/d' \
    -e 's/provider = "postgresql"/provider = "postgresql"\n  url      = env(\"DATABASE_URL\")/' \
    "$root/prisma/schema.prisma" > "$tmp/schema.prisma"
cd "$here"
DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" PRISMA_DDL_SCHEMA="$tmp/schema.prisma" PRISMA_HIDE_UPDATE_MESSAGE=1 \
PRISMA_QUERY_ENGINE_LIBRARY=/bin/false PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
  ./node_modules/.bin/prisma migrate diff --from-empty --to-schema-datamodel "$tmp/schema.prisma" --script 2>/dev/null
