# schoolhouse: small non-root runtime image with data in /data.
#   docker build -t schoolhouse .
#   docker run -d -p 8080:8080 -v schoolhouse-data:/data schoolhouse
# The default target builds from source. The release pipeline builds target `release`
# instead, which copies the static musl binary it built for each platform from
# dist/image-<arch>/schoolhouse (see .github/workflows/release.yml).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/schoolhouse /schoolhouse

# Litestream for [replication] (schoolhouse starts it; docs/deploy.md).
FROM litestream/litestream:0.5.17 AS litestream

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin schoolhouse \
 && mkdir -p /data && chown schoolhouse:schoolhouse /data && chmod 750 /data
COPY --from=litestream /usr/local/bin/litestream /usr/local/bin/litestream
USER schoolhouse
ENV SCHOOLHOUSE_DATA_DIR=/data \
    SCHOOLHOUSE_REPLICATION__LITESTREAM_BIN=/usr/local/bin/litestream \
    SCHOOLHOUSE_SERVER__LISTEN=0.0.0.0:8080 \
    SCHOOLHOUSE_SERVER__LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/schoolhouse"]
CMD ["serve"]

FROM runtime AS release
ARG TARGETARCH
COPY --chmod=0755 dist/image-${TARGETARCH}/schoolhouse /usr/local/bin/schoolhouse

FROM runtime AS source
COPY --from=build /schoolhouse /usr/local/bin/schoolhouse
