#!/bin/sh
# Mutation testing of the modules that guard data and safety: the output
# folder (atomic replacement, refusing folders candor did not write) and
# the preview's path, Host and cross-site handling. Each surviving mutant
# is a change to the guard that no test notices.
#
#   sh tests/mutants.sh            # about an hour on 2 cores
#
# Needs cargo-mutants (cargo install cargo-mutants --locked). Results in
# target/mutants/<module>/mutants.out/{caught,missed,timeout,unviable}.txt.
# Not part of .ci/run: it rebuilds the crate once per mutant.
set -eu
cd "$(dirname "$0")/.."
out=target/mutants
mkdir -p "$out"
cargo mutants -j 1 --no-shuffle -o "$out/output" \
    -f src/base/output.rs \
    -- --lib --test it
# The preview's guards are pure functions with unit tests of their own;
# the integration tests (tests/it/serve.rs) hold them too, but building
# that binary for each mutant takes most of the time.
cargo mutants -j 1 --no-shuffle -o "$out/preview" --copy-target=true \
    -f src/preview/serve.rs \
    --re 'resolve|percent_decode|host_allowed|split_host|refused|beyond_loopback' \
    -- --lib
for m in output preview; do
    d="$out/$m/mutants.out"
    caught=$(wc -l < "$d/caught.txt")
    missed=$(wc -l < "$d/missed.txt")
    timeout=$(wc -l < "$d/timeout.txt")
    echo "$m: $((caught + timeout)) caught of $((caught + missed + timeout)) viable"
done
