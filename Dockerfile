# One image for both roles (see docker-compose.yml): `node dist/api.js` or `node dist/worker.js`.

# Build: all dependencies, then bundle the entry points to dist/ (and the dashboard to web/dist).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN mkdir -p web/dist && npm run build

# Runtime: production dependencies and the built files only, run by node itself (no npm or tsx
# wrapper between the orchestrator's signals and the app) as the unprivileged `node` user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# Local state (the key file that seals webhook secrets when SECRET_KEY is unset): a volume in compose.
RUN mkdir -p /app/.undercurrent && chown node:node /app/.undercurrent
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/api.js"]
