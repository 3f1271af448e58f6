#!/usr/bin/env bash
# Installs everything cairn needs to build, test and benchmark, from Debian's packages only.
# Idempotent: packages already present are skipped, so a second run costs a dpkg query.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libre2-dev libsqlite3-dev libyaml-cpp-dev libgtest-dev
  wrk nginx-light
  clang-14 libclang-rt-14-dev llvm-14  # scripts/hardening.sh: sanitizers, libFuzzer, symbolizer
  awscli nodejs  # end-to-end tests: AWS CLI v2 (/usr/bin/aws), the AWS SDK for JavaScript v3
)
# Debian's npm, unless the installed node brings its own (NodeSource's nodejs conflicts with it).
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# End-to-end tests drive cairn with boto3 and the AWS CLI from the machine's python3.
python3 -c 'import boto3, botocore' ||
  { echo "setup: python3 with boto3/botocore is required for the end-to-end tests" >&2; exit 1; }
