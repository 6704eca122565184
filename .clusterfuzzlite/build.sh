#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: every fuzz target of secfuzz, each
# with its seed corpus (corpora/<t>/, zipped), its options file and, when the
# project has one, its dictionary (fuzz/dicts/<t>.dict).
#
# Inputs (set by the build image; set them yourself to try it locally):
#   SRC  directory holding the secfuzz checkout as $SRC/secfuzz
#   OUT  where fuzzers, <t>_seed_corpus.zip, <t>.options, <t>.dict go
#   WORK scratch space
# SECFUZZ_TOOLCHAIN: a rustup toolchain argument such as "+nightly" when the
# default toolchain is not a nightly (the OSS-Fuzz image's is).
: "${SRC:?}" "${OUT:?}" "${WORK:?}"
cd "$SRC/secfuzz"
cargo ${SECFUZZ_TOOLCHAIN:-} fuzz build
triple=$(rustc -vV | sed -n 's/^host: //p')
for t in $(cargo fuzz list); do
  cp "fuzz/target/$triple/release/$t" "$OUT/$t"
  # Seed corpus: the committed corpus, without the .json sidecars.
  python3 - "corpora/$t" "$OUT/${t}_seed_corpus.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    if os.path.isdir(src):
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if os.path.isfile(path) and not name.endswith(".json") and name != ".gitkeep":
                z.write(path, name)
PY
  if [ -f "fuzz/dicts/$t.dict" ]; then
    cp "fuzz/dicts/$t.dict" "$OUT/$t.dict"
  fi
  # The limits `secfuzz fuzz` uses: 64 KiB inputs (the decoder's cap), 10 s
  # per input, 2 GiB.
  cat > "$OUT/$t.options" <<OPT
[libfuzzer]
max_len = 65536
timeout = 10
rss_limit_mb = 2048
OPT
done
