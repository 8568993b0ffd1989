# The self-host server (what `npm run serve` runs, without its git worker): Node, a libSQL
# database and a blob store, both chosen by environment variables. compose.yaml runs it with a
# git worker (worker-git/Dockerfile). Build from the repository root:
#   docker build -t satchel .
#   docker run -p 8080:8080 -v satchel-data:/data -e ADMIN_USER=admin -e ADMIN_PASSWORD=... satchel
FROM node:22-slim

WORKDIR /app
COPY package.json package-lock.json ./
COPY worker-git/package.json worker-git/package.json
# --ignore-scripts: nothing here needs an install script (libSQL ships prebuilt binaries).
RUN npm ci --omit=dev --workspaces=false --ignore-scripts \
 && npm cache clean --force

# Node runs the TypeScript sources directly (type stripping): no build step.
COPY src src
COPY admin admin
COPY migrations migrations
COPY bin bin

RUN mkdir -p /data && chown node:node /data
USER node
# Listen on every interface inside the container; keep the data (libSQL file, blobs, generated
# secrets) on the volume. Set JWT_SECRET, ENCRYPTION_KEY and WORKER_TOKEN to share them with
# other boxes, or let the first start generate them into /data/secrets.json.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 SATCHEL_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "src/node.ts"]
