# The payments vendor's stub (Accord's `stub serve` on contracts/external/payments.yaml). Build
# from the example's folder (docker compose does), with Accord's tarball beside it
# (`npm pack ../..` there):
#   docker build -f docker/payments-stub.Dockerfile .
FROM node:20-slim
WORKDIR /app
COPY accord-*.tgz ./
# Accord's own install scripts fetch nothing the stub needs (the embedded PostgreSQL binaries).
RUN npm install -g --ignore-scripts --no-audit --no-fund ./accord-*.tgz && npm cache clean --force && rm accord-*.tgz
COPY contracts/external ./contracts/external
RUN mkdir -p reports/stub && chown -R node reports
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
EXPOSE 4010
USER node
CMD ["accord", "stub", "serve", "contracts/external/payments.yaml", "--format", "json", "--record", "reports/stub/payments-stub.jsonl"]
