# expect: none
# A Go server: modules first, a static binary, a distroless final stage.
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
USER nonroot:nonroot
HEALTHCHECK CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
