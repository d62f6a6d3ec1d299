# The payments vendor's stub (Accord's `stub serve` on contracts/external/payments.yaml). Build
# from the repository root, which holds the lock file:
#   docker build -f docker/payments-stub.Dockerfile .
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY scripts/build.mjs ./scripts/build.mjs
COPY src ./src
RUN node scripts/build.mjs
COPY examples/orders/contracts/external ./contracts/external
RUN mkdir -p reports/stub && chown -R node reports
ENV HOST=0.0.0.0 PORT=4010
EXPOSE 4010
USER node
CMD ["node", "--enable-source-maps", "dist/cli/main.js", "stub", "serve", "contracts/external/payments.yaml", "--format", "json", "--record", "reports/stub/payments-stub.jsonl"]
