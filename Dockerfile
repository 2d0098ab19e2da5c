# syntax=docker/dockerfile:1.19
#
# One image for every role: the API (default CMD), the worker (`node dist/worker.js`)
# and one-shot CLI tasks (`node dist/cli.js migrate`).
#
#   docker build -t migra-media .
#
# Bookworm matches the Debian 12 machines the test suite runs on, so the image gets the
# same ffmpeg (5.1) that the tests were run against. Pinned to a Node 24 LTS release so a
# rebuild gives the same runtime; the README ("Deploying") says how to move it on. Pass
# --build-arg NODE_IMAGE=node:24.21.0-trixie-slim for Debian 13 (ffmpeg 7.1).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---------------------------------------------------------------------------
# build: compiles the API (dist/) and the web app (web/dist/).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Lockfile first, so source changes don't throw away the dependency layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---------------------------------------------------------------------------
# deps: production dependencies only. A separate stage (rather than `npm prune` after the
# build) so it runs in parallel with the build and never carries build leftovers.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------
# runtime
FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe do the media processing; fonts-khmeros and fonts-thai-tlwg give ffmpeg Khmer and Thai glyphs for
# burned-in captions; tini is PID 1 so SIGTERM reaches node (graceful job shutdown) and
# finished ffmpeg children are reaped instead of piling up as zombies.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
       ffmpeg fonts-khmeros fonts-thai-tlwg tini \
    && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    PORT=3000 \
    WEB_DIST_DIR=web/dist \
    FFMPEG_PATH=ffmpeg \
    FFPROBE_PATH=ffprobe

WORKDIR /app
# Files stay owned by root: the app only reads its own code, and a compromised process
# can't rewrite it. Scratch files go to /tmp, which `node` can write.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist

USER node
EXPOSE 3000

# Slim images have no curl; node's own fetch does the job. /health is liveness only
# (the process answers); /ready, which also checks the database, Redis, S3 and ffmpeg,
# would restart a healthy API whenever a dependency blips.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
