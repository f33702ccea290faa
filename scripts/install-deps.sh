#!/usr/bin/env bash
# install-deps.sh: installs the Debian packages hull builds and tests with.
# Idempotent, and a quick no-op when everything is present.
set -euo pipefail

# Build: compiler, meson, libraries. Test: tools that build real images and
# the peers hull is compared with.
pkgs=(
  gcc clang clang-format libclang-rt-14-dev meson ninja-build pkg-config
  libjson-c-dev libpq-dev libarchive-dev zlib1g-dev libisal-dev libzstd-dev libssl-dev libsqlite3-dev libcurl4-openssl-dev libyaml-dev libseccomp-dev libxml2-dev
  jq zstd pigz gzip tar coreutils time python3 python3-packaging python3-yaml libxml2-utils libfyaml-dev
  debootstrap umoci skopeo docker-registry apache2-utils
  rpm db5.3-util sqlite3 postgresql
  wrk curl openssl
  openssh-server socat podman runc conmon containernetworking-plugins uidmap iptables busybox-static lynis
  iproute2 nftables graphviz netavark
  golang-go unzip
  valgrind clang-tools
)
# Node.js (for the JSON Schema validator); some machines ship npm inside nodejs.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
npm_pkgs=(ajv-cli@5 ajv-formats@2)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]]; then
    $sudo apt-get update -q
  fi
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v npm >/dev/null 2>&1; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
fi

# JSON Schema validator for the CycloneDX / SPDX / SARIF tests.
if ! command -v ajv >/dev/null 2>&1 || ! npm ls -g ajv-formats >/dev/null 2>&1; then
  echo "install-deps: installing ${npm_pkgs[*]} from npm" >&2
  $sudo npm install -g --silent --no-fund --no-audit "${npm_pkgs[@]}" >&2
fi
