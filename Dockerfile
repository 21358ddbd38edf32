# Builds the gongkai binary; the image runs `gongkai serve`.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/gongkai ./cmd/gongkai

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/gongkai --create-home gongkai
COPY --from=build /out/gongkai /usr/local/bin/gongkai
USER gongkai
ENV GONGKAI_DATA=/var/lib/gongkai GONGKAI_ADDR=0.0.0.0:8080
EXPOSE 8080
VOLUME /var/lib/gongkai
ENTRYPOINT ["gongkai"]
CMD ["serve"]
