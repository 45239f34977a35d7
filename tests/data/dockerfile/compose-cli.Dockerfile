# syntax=docker/dockerfile:1

#   Copyright 2020 Docker Compose CLI authors
#   Licensed under the Apache License, Version 2.0 (the "License");

ARG GO_VERSION=1.21.6
ARG XX_VERSION=1.3.0
ARG GOLANGCI_LINT_VERSION=v1.55.2
ARG BUILDX_VERSION=0.12.1

ARG BUILD_TAGS="e2e"
ARG DOCS_FORMATS="md,yaml"

# xx is a helper for cross-compilation
FROM --platform=${BUILDPLATFORM} tonistiigi/xx:${XX_VERSION} AS xx

FROM --platform=${BUILDPLATFORM} golang:${GO_VERSION}-alpine3.19 AS base
COPY --from=xx / /
RUN apk add --no-cache \
      clang \
      docker \
      file \
      git \
      make
WORKDIR /src
ENV CGO_ENABLED=0

FROM base AS build-base
COPY go.* .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download

FROM build-base AS build
ARG BUILD_TAGS
ARG TARGETPLATFORM
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/root/.cache \
    --mount=type=cache,target=/go/pkg/mod \
    xx-go --wrap && \
    make build GO_BUILDTAGS="$BUILD_TAGS" DESTDIR=/out

FROM build-base AS lint
ARG BUILD_TAGS
ENV GOLANGCI_LINT_CACHE=/cache/golangci-lint
RUN --mount=target=. \
    --mount=target=/root/.cache,type=cache \
    --mount=type=cache,target=/cache/golangci-lint \
    --mount=from=golangci/golangci-lint:${GOLANGCI_LINT_VERSION}-alpine,source=/usr/bin/golangci-lint,target=/usr/bin/golangci-lint \
    golangci-lint run --build-tags "$BUILD_TAGS" ./...

FROM base AS test
ARG BUILDX_VERSION
COPY --from=docker/buildx-bin:${BUILDX_VERSION} /buildx /usr/libexec/docker/cli-plugins/docker-buildx
COPY --link --from=busybox:1.36-musl /bin/busybox /usr/local/bin/busybox
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/root/.cache \
    go test -tags "$BUILD_TAGS" ./...

FROM scratch AS binary-unix
COPY --link --from=build /out/docker-compose /
FROM binary-unix AS binary-darwin
FROM binary-unix AS binary-linux
FROM scratch AS binary-windows
COPY --link --from=build /out/docker-compose /docker-compose.exe
FROM binary-$TARGETOS AS binary
# enable scanning for this stage
ARG BUILDKIT_SBOM_SCAN_STAGE=true

FROM --platform=$BUILDPLATFORM alpine AS releaser
WORKDIR /work
ARG TARGETOS
ARG TARGETARCH
RUN --mount=from=binary \
    mkdir -p /out && \
    cp docker-compose* "/out/docker-compose-${TARGETOS}-${TARGETARCH}"

FROM scratch AS release
COPY --from=releaser /out/ /
