# The qbo-sync image: one image for the worker, the API, the migrate step and the simulator
# (docker-compose.yml picks the process with `command`). TypeScript runs through tsx, as in development.
FROM node:20-slim

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. `npm ci` installs exactly what
# package-lock.json lists (and refuses a lock file that disagrees with package.json). tsx (a devDependency)
# runs the code, so devDependencies are installed too; NODE_ENV=production is set only afterwards.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

# The workflow bundle is built once here (it is also the determinism check), so the worker starts
# without bundling; worker/main.ts uses it when WORKFLOW_BUNDLE_PATH is set.
RUN node --import tsx scripts/build-workflow-bundle.ts /app/.build/workflow-bundle.js
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/.build/workflow-bundle.js

# The node image's unprivileged user; the app writes nothing under /app at runtime.
USER node

EXPOSE 3000 9464
CMD ["node", "--import", "tsx", "api/server.ts"]
