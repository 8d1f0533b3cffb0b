#!/usr/bin/env bash
# Pull every image of the edge deployment before the verification run.
# Usage: REGISTRY=registry.local:5000 scripts/verification/pull-images.sh
set -euo pipefail
# shellcheck disable=SC2034

REGISTRY="${REGISTRY:-example}"
PLATFORM=linux/arm64

ALL_IMAGES=(
    # Base Images
    "${REGISTRY}/app-base:python-distroless-arm64"
    "${REGISTRY}/app-base:java-distroless-arm64"

    # Phase 1: Foundation Services
    "${REGISTRY}/app-secrets-vault:latest-arm64"
    "${REGISTRY}/app-service-registry:latest-arm64"
    "${REGISTRY}/app-log-shipper:latest-arm64"
    "${REGISTRY}/app-metrics-exporter:latest-arm64"
    "${REGISTRY}/app-trace-collector:latest-arm64"

    # Phase 2: Core Services
    "${REGISTRY}/app-api-gateway:latest-arm64"
    "${REGISTRY}/app-auth-service:latest-arm64"
    "${REGISTRY}/app-session-api:latest-arm64"
    "${REGISTRY}/app-user-profile:latest-arm64"
    "${REGISTRY}/app-rate-limiter:latest-arm64"
    "${REGISTRY}/app-cache-proxy:latest-arm64"
    "${REGISTRY}/app-event-bus:latest-arm64"

    # Phase 3: Platform Services
    "${REGISTRY}/app-config-server:latest-arm64"
    "${REGISTRY}/app-notification-worker:latest-arm64"
    "${REGISTRY}/app-job-scheduler:latest-arm64"
    "${REGISTRY}/app-flag-service:latest-arm64"
    "${REGISTRY}/app-mail-relay:latest-arm64"

    # Phase 4: Business Services
    "${REGISTRY}/app-payment-router:latest-arm64"
    "${REGISTRY}/app-order-service:latest-arm64"
    "${REGISTRY}/app-invoice-generator:latest-arm64"
    "${REGISTRY}/app-report-builder:latest-arm64"
    "${REGISTRY}/app-search-indexer:latest-arm64"

    # Phase 5: Edge and Operations
    "${REGISTRY}/app-edge-proxy:latest-arm64"
    "${REGISTRY}/app-db-migrator:latest-arm64"
    "${REGISTRY}/app-backup-agent:latest-arm64"
)

for IMAGE in "${ALL_IMAGES[@]}"; do
    echo "Pulling ${IMAGE}..."
    docker pull --platform "$PLATFORM" "$IMAGE"
done

# Third-party dependencies
docker pull --platform linux/arm64 redis:7-alpine
docker pull --platform "$PLATFORM" \
    postgres:16
# docker pull example/app-legacy:old

echo "All images pulled."
