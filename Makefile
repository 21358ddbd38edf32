# The Makefile is the CI contract: .ci/run calls `make test`.
GO ?= go
GONGKAI_CACHE ?= $(HOME)/.cache/gongkai
export GONGKAI_MINIO_BIN ?= $(GONGKAI_CACHE)/bin/minio

.PHONY: build demo test test-short vet bench clean

build:
	$(GO) build -o bin/gongkai ./cmd/gongkai

# Run the service on the embedded default store with the demo catalogue.
demo:
	$(GO) run ./cmd/gongkai serve --demo

# Everything: installs what the tests need (the pinned MinIO server), then
# runs every test with the race detector.
test:
	./scripts/test.sh

test-short:
	$(GO) test -count=1 -short ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)

clean:
	rm -rf bin data
