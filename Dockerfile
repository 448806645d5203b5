# Every step also runs as a plain command on a host with Node 20 (test/integration/dockerfile.test.ts does so).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lockfile changes, not on every source edit.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY models ./models
COPY simulator ./simulator
COPY client ./client
COPY scenarios ./scenarios
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The node image's unprivileged user.
USER node
EXPOSE 8989
# /_sim/health needs no credentials, so the check works whatever -username/-password the container runs with.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD ["node", "dist/simulator/healthcheck.js"]
# Flags given to `docker run image ...` follow these (the last -l wins): docker run image -dc 2
ENTRYPOINT ["node", "--max-semi-space-size=32", "dist/simulator/cli.js", "-l", "0.0.0.0:8989"]
