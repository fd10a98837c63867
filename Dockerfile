# decklist-ocr GraphQL service.
#   docker build -t decklist-ocr .
#   docker run -p 4000:4000 -v "$PWD/../shared/riftbound:/data:ro" -v decklist-batches:/var/lib/decklist-ocr decklist-ocr
# The card database is not in the image: mount it at /data/cards-all.csv (or set CARDS_PATH), or bake it in
# with a derived image (see docs/deployment.md). Everything else (OCR models included) comes from npm.
# Three stages: production dependencies, the build (TypeScript → JavaScript, the web page), the runtime.
# The runtime runs compiled JavaScript with node: no TypeScript, tsx, Vite or other dev dependency in it.

# ---- deps: production dependencies only, exactly as the lock file says ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: the project's `prepare` (the build) runs in the build stage; sharp ships prebuilt
# binaries as optional packages. better-sqlite3 is the one production dependency with an install script
# (its native module): `npm rebuild` runs that one alone.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force

# ---- build: every dependency, then `npm run build` (tsc → dist/src, vite → dist/web) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
COPY web ./web
RUN npm run build

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    CARDS_PATH=/data/cards-all.csv \
    TESSDATA_CACHE=/tmp/decklist-ocr-tessdata \
    SHUTDOWN_GRACE_SECONDS=8 \
    DATA_DIR=/var/lib/decklist-ocr
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json ./
# The compiled service (dist/src) and the page it serves at / (dist/web).
COPY --from=build --chown=root:root /app/dist ./dist
# Batches (SQLite and uploads waiting) live in DATA_DIR: a volume, so they survive the container.
RUN mkdir -p /var/lib/decklist-ocr && chown node:node /var/lib/decklist-ocr
VOLUME /var/lib/decklist-ocr
# The image's unprivileged user; the app files stay read-only to it. /tmp holds the unpacked OCR models.
USER node
EXPOSE 4000
# yoga answers GET /health with 200 once the server listens (the card database and OCR workers load first).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm), so SIGTERM from `docker stop` reaches the service's shutdown handler;
# a setup mistake exits 78 with one line in `docker logs`.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
