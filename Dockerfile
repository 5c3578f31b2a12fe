# papers-bot image: `docker compose up` (see README "Deploying"), or
#   docker build -t papers-bot . && docker run --rm -e DISCORD_TOKEN=… -e DISCORD_APP_ID=… papers-bot
#
# Stage 1 builds (dev dependencies, TypeScript); stage 2 is the slim runtime with only
# production dependencies, running as the unprivileged `node` user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 ships prebuilt binaries for this platform; the toolchain is the fallback
# when none matches (another architecture).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds the sources, which are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 msgpackr-extract
COPY . .
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/sample ./sample
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Alive = the HTTP server answers /healthz (readiness, with Redis and the platforms, is /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# glibc: allocations of 1 MiB and more go straight to mmap and back to the system when
# freed, so a rebuild's buffers do not stay resident in malloc arenas (docs/deploy.md).
ENV MALLOC_MMAP_THRESHOLD_=1048576
# --single-threaded-gc: a search-index rebuild's garbage is collected on its own low-priority
# thread, not on V8's shared helper threads at normal priority, where it slowed searches
# (docs/deploy.md, "Node flags"). package.json's start script runs the bot the same way.
CMD ["node", "--single-threaded-gc", "dist/src/app/main.js"]
