# Each step also works as a plain command on a host with Node 20: npm ci, npm run build, node dist/simulator/cli.js ...
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY models ./models
COPY simulator ./simulator
COPY client ./client
COPY scenarios ./scenarios
RUN npm ci && npm prune --omit=dev
EXPOSE 8989
CMD ["node", "--max-semi-space-size=32", "dist/simulator/cli.js", "-l", "0.0.0.0:8989"]
