# shopcare's container image: a static binary on distroless, as a non-root user.
#
#   docker build -t shopcare --build-arg VERSION="$(git describe --tags --always --dirty)" .
#   docker run -p 8080:8080 -v shopcare-data:/var/lib/shopcare shopcare
#
# deploy/compose.yaml runs it with PostgreSQL.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
# timetzdata: the shop's time zone works without the system's zoneinfo.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata \
      -ldflags "-s -w -X github.com/shopcare/shopcare/internal/version.Release=${VERSION}" \
      -o /out/shopcare ./cmd/shopcare \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/shopcare /usr/local/bin/shopcare
# The data directory (SQLite, backups) belongs to the image's non-root user.
COPY --from=build --chown=65532:65532 /out/data /var/lib/shopcare
USER 65532:65532
ENV SHOPCARE_DATA=/var/lib/shopcare \
    SHOPCARE_ADDR=0.0.0.0:8080 \
    SHOPCARE_LOG_FORMAT=json
VOLUME ["/var/lib/shopcare"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/shopcare"]
CMD ["serve"]
