# syntax=docker/dockerfile:1
# PIS case management: one image for the API (`node dist/src/server.js`), the worker
# (`node dist/src/worker.js`) and the migration job (`node dist/src/server.js --migrate-only`).
# Tags are pinned; pin digests too in a registry you control.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: dependencies, Prisma client, TypeScript, web console ------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# postinstall runs `prisma generate` through the offline schema engine: it needs these files first.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/schema-engine ./tools/schema-engine
COPY deploy/npm-install-locked.sh ./deploy/
RUN sh deploy/npm-install-locked.sh
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm run build:web
# Runtime image keeps production dependencies only (the Prisma CLI and its WASM engine are among them).
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    API_PORT=3000 \
    PIS_DATA_DIR=/tmp/pis \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/tools/schema-engine ./tools/schema-engine
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# src/db/migrate.ts looks for prisma/ and tools/ two levels above its own file, i.e. in dist/ once
# compiled. tools/ is copied, not linked: prisma.mjs only runs when started by its real path, and
# finds the Prisma CLI in node_modules next to it.
RUN cp -r tools dist/tools \
 && ln -s ../node_modules dist/node_modules \
 && ln -s ../prisma dist/prisma \
 && ln -s ../prisma.config.ts dist/prisma.config.ts
# The official image's unprivileged user (uid 1000); nothing under /app is writable by it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.API_PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/server.js"]
