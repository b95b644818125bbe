# tradeplan: build, test, benchmark, evaluate.
GO ?= go
BIN := bin/tradeplan

.PHONY: build test test-short bench lint eval eval-hs eval-parties fuzz screenshots client

# The version `tradeplan version` prints: the git description of the tree.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/tradeplan

# The README's test command. SQLite always; PostgreSQL too when reachable
# (TRADEPLAN_TEST_POSTGRES, or initdb and pg_ctl on the PATH).
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

test-short:
	$(GO) test -short ./...

# Regenerate the Go client (api/client) from api/openapi.json with the
# oapi-codegen that go.mod's tool directive pins. TestGeneratedUpToDate
# (run by make test) fails when the committed client is out of date.
client:
	$(GO) generate ./api/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# staticcheck at a version the module proxy serves for this Go; fetched
# through the module cache on first use.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run go mod tidy"; exit 1; }
	$(GO) run $(STATICCHECK) ./...

# Accuracy of the classifier and the name matcher on the labelled sets.
eval: eval-hs eval-parties

eval-hs:
	$(GO) test -count=1 -run '^TestEvaluation$$' -v ./hs

eval-parties:
	$(GO) test -count=1 -run '^(TestEvaluation|TestPairEvaluation)$$' -v ./parties

# A short fuzz run of every parser (go test -fuzz runs one target at a time).
FUZZTIME ?= 20s
fuzz:
	@$(GO) list -f '{{.ImportPath}}' ./... | while read p; do \
	  for f in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
	    echo "fuzz $$p $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
	  done; done

# PNGs of the main pages at 1280 and 390 px into docs/screenshots (the web
# interface, docs/ui.md), taken by Chromium over a seeded test server.
screenshots:
	TRADEPLAN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run '^TestBrowserScreenshots$$' ./server/
