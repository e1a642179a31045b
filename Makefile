# shopcare — `make help` lists the targets.
GO ?= go
PKGS := ./...

.PHONY: help run serve build release test check vet fmt-check lint race fuzz bench soak assets clean

GOLANGCI_LINT_VERSION := v2.6.2

help: ## Show the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

# ADDR is where run and serve listen (make run ADDR=127.0.0.1:9090); empty:
# SHOPCARE_ADDR, else 127.0.0.1:8080.
ADDR ?=
addr_flag = $(if $(ADDR),--addr=$(ADDR))

run: ## The demo shop on http://127.0.0.1:8080 (ADDR=host:port or SHOPCARE_ADDR to move it): a year of history, live orders, a login per role.
	$(GO) run ./cmd/shopcare demo $(addr_flag)

serve: ## Your own shop on embedded SQLite in ./shopcare-data, on http://127.0.0.1:8080 (ADDR=host:port or SHOPCARE_ADDR).
	$(GO) run ./cmd/shopcare serve $(addr_flag)

# VERSION names a build (shopcare version prints it): the tag, else the commit.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
ldflags = -s -w -X github.com/shopcare/shopcare/internal/version.Release=$(VERSION)

build: ## Build bin/shopcare.
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -ldflags "$(ldflags)" -o bin/shopcare ./cmd/shopcare

release: ## Static release binaries for Linux amd64 and arm64 in dist/, with SHA256SUMS (VERSION=v1.2.0).
	rm -rf dist && mkdir -p dist
	for arch in amd64 arm64; do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -trimpath -buildvcs=auto -tags timetzdata -ldflags "$(ldflags)" \
			-o dist/shopcare-$(VERSION)-linux-$$arch ./cmd/shopcare || exit 1; \
	done
	cd dist && sha256sum shopcare-* > SHA256SUMS

test: check ## Run every test (PostgreSQL too when SHOPCARE_TEST_DATABASE_URL is set).
	$(GO) test -count=1 -timeout 25m $(PKGS)

check: vet fmt-check ## go vet and the gofmt check.

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out="$$(gofmt -l cmd internal)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

lint: ## golangci-lint (installed with go install when missing; .golangci.yml says why each linter is on).
	@command -v golangci-lint >/dev/null 2>&1 || test -x "$$($(GO) env GOPATH)/bin/golangci-lint" || \
		$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" golangci-lint run ./...

race: ## Run the tests with the race detector.
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

fuzz: ## Fuzz each parser for 30s.
	$(GO) test -run='^$$' -fuzz=FuzzOrderRequest -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzStatusRequest -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzShopDaysRequest -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzImport -fuzztime=30s ./internal/csvimport/
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=30s ./internal/money/
	$(GO) test -run='^$$' -fuzz=FuzzArithmetic -fuzztime=30s ./internal/money/
	$(GO) test -run='^$$' -fuzz=FuzzDetectEncoding -fuzztime=30s ./internal/csvimport/
	$(GO) test -run='^$$' -fuzz=FuzzParseCart -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzLoyaltyRequest -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzParcelEvents -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz=FuzzParseDay -fuzztime=30s ./internal/calendar/
	$(GO) test -run='^$$' -fuzz=FuzzSettings -fuzztime=30s ./internal/config/
	$(GO) test -run='^$$' -fuzz=FuzzSettingsForm -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzParseSettingsDuration -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzParseWindow -fuzztime=30s ./internal/analytics/
	$(GO) test -run='^$$' -fuzz=FuzzActivity -fuzztime=30s ./internal/analytics/
	$(GO) test -run='^$$' -fuzz=FuzzExpect -fuzztime=30s ./internal/trend/
	$(GO) test -run='^$$' -fuzz=FuzzUnsubscribe -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzSafeNext -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzClientIP -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzLoginForm -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzFormatters -fuzztime=30s ./internal/i18n/
	$(GO) test -run='^$$' -fuzz=FuzzPager -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=30s -fuzzminimizetime=3s ./internal/inbox/mailin/
	$(GO) test -run='^$$' -fuzz='^FuzzVisible$$' -fuzztime=30s ./internal/inbox/mailin/
	$(GO) test -run='^$$' -fuzz='^FuzzHookIntake$$' -fuzztime=30s ./internal/connector/
	$(GO) test -run='^$$' -fuzz='^FuzzVerifyParse$$' -fuzztime=30s ./internal/connector/shopify/
	$(GO) test -run='^$$' -fuzz='^FuzzGraphQLOrder$$' -fuzztime=30s ./internal/connector/shopify/
	$(GO) test -run='^$$' -fuzz='^FuzzVerifyParse$$' -fuzztime=30s ./internal/connector/woocommerce/
	$(GO) test -run='^$$' -fuzz='^FuzzVerifyParse$$' -fuzztime=30s ./internal/connector/insales/
	$(GO) test -run='^$$' -fuzz='^FuzzVerifyParse$$' -fuzztime=30s ./internal/connector/tilda/
	$(GO) test -run='^$$' -fuzz='^FuzzVerifyParse$$' -fuzztime=30s ./internal/connector/ecwid/
	$(GO) test -run='^$$' -fuzz='^FuzzOrderMap$$' -fuzztime=30s ./internal/connector/ecwid/
	$(GO) test -run='^$$' -fuzz='^FuzzWebhook$$' -fuzztime=30s ./internal/connector/custom/
	$(GO) test -run='^$$' -fuzz='^FuzzMinor$$' -fuzztime=30s ./internal/connector/wire/
	$(GO) test -run='^$$' -fuzz='^FuzzResolve$$' -fuzztime=30s ./internal/jsonpointer/
	$(GO) test -run='^$$' -fuzz='^FuzzMapping$$' -fuzztime=30s ./internal/config/
	$(GO) test -run='^$$' -fuzz='^FuzzOrderPatch$$' -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz='^FuzzCustomerPatch$$' -fuzztime=30s ./internal/api/
	$(GO) test -run='^$$' -fuzz='^FuzzThreadingParsers$$' -fuzztime=30s ./internal/inbox/
	$(GO) test -run='^$$' -fuzz='^FuzzParseUpdate$$' -fuzztime=30s ./internal/inbox/telegramin/
	$(GO) test -run='^$$' -fuzz='^FuzzCommand$$' -fuzztime=30s ./internal/inbox/telegramin/
	$(GO) test -run='^$$' -fuzz='^FuzzContactPost$$' -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz='^FuzzSnooze$$' -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz='^FuzzAttachmentHeaders$$' -fuzztime=30s ./internal/web/
	$(GO) test -run='^$$' -fuzz='^FuzzInboxFilter$$' -fuzztime=30s ./internal/web/

bench: build ## The figures of BENCHMARKS.md.
	./bin/shopcare bench import
	./bin/shopcare bench api
	./bin/shopcare bench loyalty
	./bin/shopcare bench parcels
	$(GO) test -run='^$$' -bench=. -benchmem -cpu=1 ./internal/promise/ ./internal/calendar/ ./internal/loyalty/
	$(GO) test -run='^$$' -bench='^Benchmark(Ingest|Watch)$$' -benchmem ./internal/parcel/ ./internal/order/
	$(GO) test -run='^$$' -bench='^Benchmark(Parse|Poller)$$' -benchmem ./internal/inbox/mailin/
	./bin/shopcare bench backfill
	$(GO) test -run='^$$' -bench='^BenchmarkHookIntake' -benchtime=20000x ./internal/connector/

# SOAK_DURATION is each engine's time of load and faults in make soak.
SOAK_DURATION ?= 5m

soak: build ## The fault suite: load while serve is killed, PostgreSQL cut, SMTP stopped, the disk filled; SQLite, and PostgreSQL when SHOPCARE_TEST_DATABASE_URL is set (docs/soak.md).
	./bin/shopcare bench soak --duration $(SOAK_DURATION)
	$(if $(SHOPCARE_TEST_DATABASE_URL),./bin/shopcare --database-url '$(SHOPCARE_TEST_DATABASE_URL)' bench soak --duration $(SOAK_DURATION))

assets: ## Refresh the embedded front-end packages from npm (internal/web/assets/package.json).
	cd internal/web/assets && npm ci --no-audit --no-fund
	cp internal/web/assets/node_modules/htmx.org/dist/htmx.min.js internal/web/static/htmx.min.js
	cp internal/web/assets/node_modules/uplot/dist/uPlot.iife.min.js internal/web/static/uPlot.iife.min.js
	cp internal/web/assets/node_modules/uplot/dist/uPlot.min.css internal/web/static/uPlot.min.css
	cp internal/web/assets/node_modules/axe-core/axe.min.js internal/web/testdata/axe.min.js

clean: ## Remove build output.
	rm -rf bin dist
