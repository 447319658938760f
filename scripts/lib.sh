# Shared helpers for scripts/paddlenet and scripts/test (sourced, not run).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System packages the build needs (Debian names). Installed only when missing.
APT_PACKAGES=(cmake g++ make pkg-config libopencv-dev libfreetype-dev)
# Only the test run needs these (the serving tests drive the official Python client and a headless browser):
# scripts/test installs them, scripts/paddlenet never does.
TEST_APT_PACKAGES=(python3-requests chromium fonts-droid-fallback fonts-dejavu-core)

ensure_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "paddlenet: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq -o DPkg::Lock::Timeout=600
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  command -v dotnet >/dev/null || { echo "paddlenet: the .NET SDK (dotnet) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
}

# Native shim (OpenCV wrapper) in Release into build/native.
build_native() {
  [ -f "$REPO_ROOT/CMakeLists.txt" ] || return 0
  cmake -S "$REPO_ROOT" -B "$REPO_ROOT/build/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$REPO_ROOT/build/native" -j "$(nproc)" >/dev/null
}

# The build's packages plus the ones only the tests need.
ensure_test_packages() {
  ensure_system_packages "${TEST_APT_PACKAGES[@]}"
}
