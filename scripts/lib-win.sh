# Windows x64 (win-x64) helpers: MinGW cross toolchain, cached static OpenCV, shim DLL, Wine.
# Sourced after scripts/lib.sh by scripts/publish (win-x64) and scripts/test-win.

# Debian packages for the cross build and the Wine checks. dpkg-dev gives `apt-get source`.
WIN_APT_PACKAGES=(cmake make nasm dpkg-dev g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix
  binutils-mingw-w64-x86-64 libz-mingw-w64-dev wine wine64 xz-utils curl)

PADDLENET_CACHE="${PADDLENET_CACHE:-$HOME/.cache/paddlenet}"

# `apt-get source` needs a deb-src line; add one mirroring the first deb822/one-line source.
win_ensure_deb_src() {
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -f "$f" ]; then
    # deb822: copy each Debian stanza with Types: deb-src.
    awk 'BEGIN{RS="";ORS="\n\n"} /deb\.debian\.org/ {sub(/Types: deb/,"Types: deb-src"); print}' "$f" \
      >/etc/apt/sources.list.d/paddlenet-deb-src.sources
  else
    grep -hE '^deb .*debian' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' \
      >/etc/apt/sources.list.d/paddlenet-deb-src.list
  fi
  WIN_APT_UPDATED=""
}

ensure_win_packages() {
  local missing=()
  for p in "${WIN_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  local had_src=1
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ || had_src=0
  if ((${#missing[@]})) || [ "$had_src" = 0 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "paddlenet: installing win-x64 build tools needs root (apt-get)" >&2; return 1; }
    win_ensure_deb_src
    echo "paddlenet: installing ${missing[*]:-deb-src index}" >&2
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    if ((${#missing[@]})); then
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
  fi
}

WIN_TOOLCHAIN="$REPO_ROOT/cmake/toolchains/x86_64-w64-mingw32.cmake"

# Cached static OpenCV for win-x64: ${PADDLENET_CACHE}/opencv-mingw-<hash of recipe, toolchain, compiler>.
# Built once per machine (about 8 min on 2 idle cores); later calls print the folder at once.
win_opencv_prefix() {
  local key dir
  key=$( { cat "$REPO_ROOT/scripts/build-opencv-mingw.sh" "$WIN_TOOLCHAIN"
           x86_64-w64-mingw32-g++-posix --version | head -1; } | sha256sum | cut -c1-12)
  dir="$PADDLENET_CACHE/opencv-mingw-$key"
  mkdir -p "$PADDLENET_CACHE"
  (
    flock 9   # two runs on one machine: the second waits for the first's build
    if [ ! -f "$dir/.complete" ]; then
      local t0=$SECONDS
      echo "paddlenet: building static OpenCV for win-x64 into $dir (first time only, ~8-10 min)" >&2
      "$REPO_ROOT/scripts/build-opencv-mingw.sh" "$dir" "$WIN_TOOLCHAIN" >&2
      echo "paddlenet: OpenCV for win-x64 built in $((SECONDS - t0)) s" >&2
      touch "$dir/.complete"
    fi
  ) 9>"$dir.lock"
  echo "$dir"
}

# The shim as build/native-win-x64/paddlenet_native.dll (+ test_shim.exe), statically linked.
build_native_win() {
  local prefix
  prefix=$(win_opencv_prefix)
  local b="$REPO_ROOT/build/native-win-x64"
  cmake -S "$REPO_ROOT" -B "$b" -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE="$WIN_TOOLCHAIN" \
    -DPADDLENET_WIN_PREFIX="$prefix" -DOpenCV_DIR="$prefix/lib/cmake/opencv4" \
    -DOpenCV_STATIC=ON >/dev/null
  cmake --build "$b" -j "$(nproc)" >/dev/null
  x86_64-w64-mingw32-strip -o "$b/paddlenet_native.dll" "$b/runtimes/win-x64/native/paddlenet_native.dll"
}
