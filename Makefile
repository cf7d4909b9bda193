# genoshare — build, test and demo.
#   make          build/genoshare (optimised)
#   make check    install what is missing, build with ASan+UBSan, run every test
#   make demo     install what is missing, build, create demo.db and serve it
CC      ?= cc
PKGS    := sqlite3 libmicrohttpd jansson libsodium libcurl gnutls librhonabwy zlib htslib
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
BASE    := -std=c17 -D_GNU_SOURCE -DGS_VERSION='"$(VERSION)"' -Isrc -Ibuild/gen $(WARN)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC      := $(sort $(wildcard src/*/*.c))
LIB_SRC  := $(filter-out src/cli/main.c,$(SRC))
WEB      := $(sort $(wildcard web/*))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJ  := $(patsubst src/%.c,build/rel/%.o,$(SRC)) build/rel/web_assets.o
SAN_OBJ  := $(patsubst src/%.c,build/san/%.o,$(LIB_SRC)) build/san/web_assets.o
UNIT_BIN := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))

.PHONY: all deps check demo test clean format
all: build/genoshare

deps:
	@bash scripts/install-deps.sh

build/gen/web_assets.c: $(WEB) tools/embed.c
	@mkdir -p build/gen
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o build/gen/embed tools/embed.c
	build/gen/embed web $@

build/rel/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) -c $< -o $@
build/rel/web_assets.o: build/gen/web_assets.c
	$(CC) $(BASE) -O1 -c $< -o $@
build/genoshare: $(REL_OBJ)
	$(CC) -o $@ $^ $(PKG_LIBS)

build/san/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -g $(SAN) $(PKG_CFLAGS) -c $< -o $@
build/san/web_assets.o: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 -c $< -o $@
build/san/genoshare: $(SAN_OBJ) build/san/cli/main.o
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)
build/san/tests/%: tests/unit/%.c tests/unit/check.h $(SAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -Itests/unit -O1 -g $(SAN) $(PKG_CFLAGS) -o $@ $< $(SAN_OBJ) $(PKG_LIBS)

# Benchmark programs: bench/<name>.c linked with the optimised library objects.
build/bench/%: bench/%.c $(filter-out build/rel/cli/main.o,$(REL_OBJ))
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) -o $@ $< $(filter-out build/rel/cli/main.o,$(REL_OBJ)) $(PKG_LIBS)

test: build/san/genoshare $(UNIT_BIN)
	@bash tests/run.sh

check: deps
	@$(MAKE) --no-print-directory -j2 build/san/genoshare $(UNIT_BIN) build/genoshare
	@bash tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory -j2 build/genoshare
	@bash scripts/demo.sh

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tools/*.c

clean:
	rm -rf build
