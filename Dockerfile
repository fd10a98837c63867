# decklist-ocr GraphQL service.
#   docker build -t decklist-ocr .
#   docker run -p 4000:4000 -v "$PWD/../shared/riftbound:/data:ro" -v decklist-batches:/var/lib/decklist-ocr decklist-ocr
# The card database is not in the image: mount it at /data/cards.csv (or set CARDS_PATH), or bake it in
# with a derived image (see docs/deployment.md). Everything else (OCR models included) comes from npm.

# ---- dependencies: production only, exactly as the lock file says ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- the web page: bundled by Vite (a dev dependency) into dist/web ----
FROM node:20-bookworm-slim AS web
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./web
# The page formats text, deck codes and the chosen-champion rule with the service's own modules.
COPY src ./src
RUN npx vite build --config web/vite.config.ts

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    CARDS_PATH=/data/cards.csv \
    TESSDATA_CACHE=/tmp/decklist-ocr-tessdata \
    SHUTDOWN_GRACE_SECONDS=8 \
    DATA_DIR=/var/lib/decklist-ocr
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json schema.graphql ./
COPY --chown=root:root src ./src
# The page the service serves at / (src/server/static.ts reads /app/dist/web).
COPY --from=web --chown=root:root /app/dist/web ./dist/web
# Batches (SQLite and uploads waiting) live in DATA_DIR: a volume, so they survive the container.
RUN mkdir -p /var/lib/decklist-ocr && chown node:node /var/lib/decklist-ocr
VOLUME /var/lib/decklist-ocr
# The image's unprivileged user; the app files stay read-only to it. /tmp holds the unpacked OCR models.
USER node
EXPOSE 4000
# yoga answers GET /health with 200 once the server listens (the card database and OCR workers load first).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm), so SIGTERM from `docker stop` reaches the service's shutdown handler.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
