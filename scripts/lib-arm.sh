# linux-arm64 helpers for scripts/publish and scripts/test-arm (sourced after lib.sh, not run).
# Cross toolchain + multiarch libc, qemu-user, and a minimal static OpenCV for arm64 built once from
# Debian's source package and cached outside the clone.

PADDLENET_CACHE="${PADDLENET_CACHE:-$HOME/.cache/paddlenet}"

# What cross-building and emulating arm64 needs (Debian names). clang + lld link the NativeAOT binary.
ARM_APT_PACKAGES=(clang lld zlib1g-dev qemu-user g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
  libc6-dev:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g-dev:arm64 zlib1g:arm64 xz-utils patch)

_pn_sudo() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

ensure_arm_packages() {
  local update=0 missing=()
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "paddlenet: adding the arm64 multiarch architecture" >&2
    _pn_sudo dpkg --add-architecture arm64
    update=1
  fi
  for p in "${ARM_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "paddlenet: installing ${missing[*]}" >&2
    update=1
  fi
  ((update)) && _pn_sudo apt-get update -qq
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive _pn_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  return 0
}

# Debian arm64 packages whose files make the private codec sysroot (libraries + headers; nothing is
# installed on the host: Debian's arm64 libopencv-dev cannot sit beside the amd64 one).
ARM64_CODEC_DEBS=(libjpeg62-turbo-dev:arm64 libjpeg62-turbo:arm64 libpng-dev:arm64 libpng16-16:arm64
  libwebp-dev:arm64 libwebp7:arm64)
OPENCV_DEBIAN_SOURCE=opencv
OPENCV_UPSTREAM_VERSION=4.6.0

# The cache key: the recipe itself (this function's text and the package lists), so any change rebuilds.
opencv_arm64_key() {
  { declare -f build_opencv_arm64; echo "${ARM64_CODEC_DEBS[*]}" "$OPENCV_UPSTREAM_VERSION";
    cat "$REPO_ROOT/cmake/toolchains/aarch64-linux-gnu.cmake"; } | sha256sum | cut -c1-12
}
opencv_arm64_dir() { echo "$PADDLENET_CACHE/opencv-$OPENCV_UPSTREAM_VERSION-arm64-$(opencv_arm64_key)"; }

# Ensures deb-src entries exist so `apt-get source` works (Debian 12 images ship deb lines only).
_pn_ensure_deb_src() {
  if grep -rqsE '^(Types: *deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  echo "paddlenet: adding deb-src entries for Debian's OpenCV source package" >&2
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
    _pn_sudo tee /etc/apt/sources.list.d/paddlenet-deb-src.sources >/dev/null
  _pn_sudo apt-get update -qq
}

# Minimal OpenCV (core, imgproc, imgcodecs with JPEG/PNG/WebP; static, PIC) for arm64 from Debian's
# source package (4.6.0+dfsg, the version the x86-64 build links), against Debian's arm64 codec
# libraries extracted into <dir>/sysroot. Result: <dir>/install/lib/cmake/opencv4. Cached by recipe.
build_opencv_arm64() {
  local dir; dir="$(opencv_arm64_dir)"
  [ -f "$dir/.done" ] && return 0
  ensure_arm_packages
  echo "paddlenet: building a minimal OpenCV for arm64 into $dir (once; about 15 min on 2 cores)" >&2
  rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/sysroot" "$dir/src"
  (cd "$dir/debs" && apt-get download "${ARM64_CODEC_DEBS[@]}" >/dev/null 2>&1) ||
    { _pn_sudo apt-get update -qq; (cd "$dir/debs" && apt-get download "${ARM64_CODEC_DEBS[@]}" >/dev/null); }
  for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/sysroot"; done
  _pn_ensure_deb_src
  (cd "$dir/src" && apt-get source --download-only "$OPENCV_DEBIAN_SOURCE" >/dev/null 2>&1)
  local orig debian
  orig=$(ls "$dir"/src/opencv_*.orig.tar.xz)
  debian=$(ls "$dir"/src/opencv_*.debian.tar.xz)
  tar xJf "$orig" -C "$dir/src"
  tar xJf "$debian" -C "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION"
  # Debian's patches that touch the main tree (the others are for contrib modules, not downloaded here).
  (cd "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION" &&
    while read -r p; do
      if [ -n "$p" ] && patch -p1 -N -s --dry-run <"debian/patches/$p" >/dev/null 2>&1; then
        patch -p1 -N -s <"debian/patches/$p"
      fi
    done <debian/patches/series)
  cmake -S "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION" -B "$dir/build" -G "Unix Makefiles" \
    -DCMAKE_TOOLCHAIN_FILE="$REPO_ROOT/cmake/toolchains/aarch64-linux-gnu.cmake" \
    -DPADDLENET_EXTRA_ROOT="$dir/sysroot" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$dir/install" \
    -DBUILD_LIST=core,imgproc,imgcodecs -DBUILD_SHARED_LIBS=OFF -DENABLE_PIC=ON \
    -DJPEG_INCLUDE_DIR="$dir/sysroot/usr/include;$dir/sysroot/usr/include/aarch64-linux-gnu" \
    -DWITH_JPEG=ON -DBUILD_JPEG=OFF -DWITH_PNG=ON -DBUILD_PNG=OFF -DWITH_WEBP=ON -DBUILD_WEBP=OFF \
    -DBUILD_ZLIB=OFF -DWITH_TIFF=OFF -DWITH_JASPER=OFF -DWITH_OPENJPEG=OFF -DWITH_OPENEXR=OFF \
    -DWITH_GDAL=OFF -DWITH_GDCM=OFF -DWITH_IPP=OFF -DWITH_TBB=OFF -DWITH_OPENMP=OFF -DWITH_ITT=OFF \
    -DWITH_OPENCL=OFF -DWITH_LAPACK=OFF -DWITH_EIGEN=OFF -DWITH_PROTOBUF=OFF -DWITH_FFMPEG=OFF \
    -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_VTK=OFF -DWITH_1394=OFF \
    -DWITH_CAROTENE=OFF -DWITH_ADE=OFF -DWITH_QUIRC=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF \
    -DWITH_IMGCODEC_HDR=ON -DWITH_IMGCODEC_SUNRASTER=ON -DWITH_IMGCODEC_PXM=ON -DWITH_IMGCODEC_PFM=ON \
    -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF \
    -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF -DBUILD_opencv_python2=OFF -DBUILD_DOCS=OFF \
    -DOPENCV_GENERATE_PKGCONFIG=OFF -DENABLE_PRECOMPILED_HEADERS=OFF -DCV_TRACE=OFF \
    >"$dir/configure.log" 2>&1 || { tail -30 "$dir/configure.log" >&2; return 1; }
  cmake --build "$dir/build" -j "$(nproc)" >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log" >&2; return 1; }
  cmake --install "$dir/build" >/dev/null
  rm -rf "$dir/src" "$dir/build" "$dir/debs"
  touch "$dir/.done"
}

# The shim for arm64, linked against the static OpenCV above, into build/native-linux-arm64/.
build_native_arm64() {
  build_opencv_arm64
  local dir; dir="$(opencv_arm64_dir)"
  cmake -S "$REPO_ROOT" -B "$REPO_ROOT/build/native-linux-arm64" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$REPO_ROOT/cmake/toolchains/aarch64-linux-gnu.cmake" \
    -DPADDLENET_EXTRA_ROOT="$dir/sysroot" -DOpenCV_DIR="$dir/install/lib/cmake/opencv4" \
    -DPADDLENET_STATIC_OPENCV=ON >/dev/null
  cmake --build "$REPO_ROOT/build/native-linux-arm64" -j "$(nproc)" >/dev/null
  # The packaging engineer picks the library up at this fixed place.
  cp -f "$REPO_ROOT/build/native-linux-arm64/runtimes/linux-arm64/native/libpaddlenet_native.so" \
    "$REPO_ROOT/build/native-linux-arm64/libpaddlenet_native.so"
  # That copy finds its codec libraries beside it (a package or a published folder carries them).
  if command -v patchelf >/dev/null; then patchelf --set-rpath '$ORIGIN' "$REPO_ROOT/build/native-linux-arm64/libpaddlenet_native.so"; fi
}

# Folders searched for the arm64 shared libraries a folder must carry.
arm64_lib_dirs() {
  echo "$(opencv_arm64_dir)/sysroot/usr/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu"
}
