# scripts/publish's per-RID recipes (sourced after lib.sh, not run). Each publish_<rid> function writes
# dist/paddlenet-<rid>/: the NativeAOT `paddlenet` executable and every shared library it needs beyond
# glibc and libstdc++, all with RUNPATH $ORIGIN, so the folder runs wherever it is copied.

# glibc and the C++ runtime: every Linux target has them, so a folder does not carry them (the portable
# Android folder is the exception: it carries these too, with the loader).
PUBLISH_SYSTEM_LIBS_RE='^(ld-linux.*|libc\.so\..*|libm\.so\..*|libdl\.so\..*|libpthread\.so\..*|librt\.so\..*|libutil\.so\..*|libresolv\.so\..*|libstdc\+\+\.so\..*|libgcc_s\.so\..*)$'

ensure_publish_packages() {
  local missing=()
  for p in patchelf binutils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "paddlenet: installing ${missing[*]}" >&2
    _pn_publish_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _pn_publish_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}
_pn_publish_sudo() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

# publish_aot RID OUT [msbuild args...]: NativeAOT publish of the CLI (Release, trimmed, invariant
# globalization; see PaddleNet.Cli.csproj) into OUT/paddlenet. Any trim/AOT warning fails the build
# (TreatWarningsAsErrors).
publish_aot() {
  local rid="$1" out="$2"; shift 2
  local tmp="$REPO_ROOT/build/publish-$rid"
  rm -rf "$tmp"
  dotnet publish "$REPO_ROOT/src/PaddleNet.Cli" -c Release -r "$rid" -p:PaddleNetAot=true \
    -o "$tmp" -v quiet -nologo "$@" >&2
  mkdir -p "$out"
  cp "$tmp/PaddleNet.Cli" "$out/paddlenet"
}

# copy_needed_libs DEST 'DIR DIR ...' [all]: copies, recursively, the DT_NEEDED libraries of every ELF file
# in DEST found in the given folders (glibc and libstdc++ excluded unless the third argument is "all").
copy_needed_libs() {
  local dest="$1" dirs="$2" all="${3:-}" changed=1
  while ((changed)); do
    changed=0
    for f in "$dest"/*; do
      [ -f "$f" ] && head -c4 "$f" | grep -q $'\x7fELF' || continue
      for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$dest/$lib" ] && continue
        if [ -z "$all" ] && [[ "$lib" =~ $PUBLISH_SYSTEM_LIBS_RE ]]; then continue; fi
        local found=""
        for d in $dirs; do [ -e "$d/$lib" ] && { found="$d/$lib"; break; }; done
        [ -n "$found" ] || { echo "publish: $lib (needed by $(basename "$f")) not found in: $dirs" >&2; return 1; }
        cp -L "$found" "$dest/$lib"
        chmod u+w "$dest/$lib"
        changed=1
      done
    done
  done
}

# Every ELF file in DIR finds its neighbours first.
set_origin_rpath() {
  local dir="$1"
  for f in "$dir"/*; do
    [ -f "$f" ] && head -c4 "$f" | grep -q $'\x7fELF' || continue
    case "$(basename "$f")" in ld-linux*) continue ;; esac
    patchelf --set-rpath '$ORIGIN' "$f"
  done
}

# The minimal static OpenCV of the x86-64 folder: the arm64 recipe (scripts/lib-arm.sh) built natively against
# Debian's amd64 codec libraries, so the folder carries libjpeg/libpng/libwebp/zlib instead of Debian's shared
# OpenCV and its 130-library closure (GDAL, GDCM, OpenEXR, ...). The flags are build_opencv_arm64's; that recipe
# keeps its own copy so its cached build (keyed by its text) stays valid.
X64_CODEC_PACKAGES=(libjpeg62-turbo-dev libpng-dev libwebp-dev zlib1g-dev xz-utils patch)
opencv_x64_key() {
  { declare -f build_opencv_x64; echo "${X64_CODEC_PACKAGES[*]}" "$OPENCV_UPSTREAM_VERSION"; } | sha256sum | cut -c1-12
}
opencv_x64_dir() { echo "$PADDLENET_CACHE/opencv-$OPENCV_UPSTREAM_VERSION-x64-$(opencv_x64_key)"; }

build_opencv_x64() {
  local dir; dir="$(opencv_x64_dir)"
  [ -f "$dir/.done" ] && return 0
  ensure_system_packages "${X64_CODEC_PACKAGES[@]}"
  echo "paddlenet: building a minimal OpenCV for x86-64 into $dir (once)" >&2
  rm -rf "$dir" && mkdir -p "$dir/src"
  _pn_ensure_deb_src
  (cd "$dir/src" && apt-get source --download-only "$OPENCV_DEBIAN_SOURCE" >/dev/null 2>&1)
  local orig debian
  orig=$(ls "$dir"/src/opencv_*.orig.tar.xz)
  debian=$(ls "$dir"/src/opencv_*.debian.tar.xz)
  tar xJf "$orig" -C "$dir/src"
  tar xJf "$debian" -C "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION"
  (cd "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION" &&
    while read -r p; do
      if [ -n "$p" ] && patch -p1 -N -s --dry-run <"debian/patches/$p" >/dev/null 2>&1; then
        patch -p1 -N -s <"debian/patches/$p"
      fi
    done <debian/patches/series)
  cmake -S "$dir/src/opencv-$OPENCV_UPSTREAM_VERSION" -B "$dir/build" -G "Unix Makefiles" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$dir/install" \
    -DBUILD_LIST=core,imgproc,imgcodecs -DBUILD_SHARED_LIBS=OFF -DENABLE_PIC=ON \
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
  rm -rf "$dir/src" "$dir/build"
  touch "$dir/.done"
}

# The shim for the x86-64 folder, linked against the static OpenCV above, into build/native-linux-x64/ (the JIT
# build's build/native keeps Debian's shared OpenCV). Its ctest runs there too.
build_native_x64_static() {
  build_opencv_x64
  cmake -S "$REPO_ROOT" -B "$REPO_ROOT/build/native-linux-x64" -DCMAKE_BUILD_TYPE=Release \
    -DOpenCV_DIR="$(opencv_x64_dir)/install/lib/cmake/opencv4" -DPADDLENET_STATIC_OPENCV=ON >/dev/null
  cmake --build "$REPO_ROOT/build/native-linux-x64" -j "$(nproc)" >/dev/null
}

# PADDLENET_X64_STATIC_OPENCV=1: the shim links the minimal static OpenCV above (not yet the default: its first
# build did not finish on the loaded dev machine, so test-arm has not run on it); otherwise Debian's shared OpenCV
# and its whole closure.
publish_linux_x64() {
  local out="$REPO_ROOT/dist/paddlenet-linux-x64"
  ensure_system_packages
  ensure_publish_packages
  command -v clang >/dev/null || _pn_publish_sudo apt-get install -y -qq --no-install-recommends clang zlib1g-dev >&2
  if [ "${PADDLENET_X64_STATIC_OPENCV:-0}" = 1 ]; then
    build_native_x64_static
    rm -rf "$out"
    publish_aot linux-x64 "$out"
    cp "$REPO_ROOT/build/native-linux-x64/runtimes/linux-x64/native/libpaddlenet_native.so" "$out/"
    copy_needed_libs "$out" "/usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu"
  else
    build_native
    rm -rf "$out"
    publish_aot linux-x64 "$out"
    cp "$REPO_ROOT/build/native/runtimes/linux-x64/native/libpaddlenet_native.so" "$out/"
    # The shim links Debian's shared OpenCV here: carry its whole closure as the host loader resolves it.
    ldd "$out/libpaddlenet_native.so" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r name path; do
      [[ "$name" =~ $PUBLISH_SYSTEM_LIBS_RE ]] || cp -L "$path" "$out/$name"
    done
  fi
  set_origin_rpath "$out"
  echo "$out"
}

publish_linux_arm64() {
  local out="$REPO_ROOT/dist/paddlenet-linux-arm64"
  ensure_system_packages
  ensure_arm_packages
  ensure_publish_packages
  build_native_arm64
  rm -rf "$out"
  # clang links for aarch64 with lld against the multiarch arm64 libc (sysroot /).
  publish_aot linux-arm64 "$out" -p:SysRoot=/ -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy
  cp "$REPO_ROOT/build/native-linux-arm64/libpaddlenet_native.so" "$out/"
  copy_needed_libs "$out" "$(arm64_lib_dirs)"
  set_origin_rpath "$out"
  echo "$out"
}

# The linux-arm64 folder plus glibc, libstdc++, libgcc_s and the loader in lib/, started by a launcher
# script through that loader: it needs nothing from the device (Android has no glibc).
publish_android_arm64() {
  local out="$REPO_ROOT/dist/paddlenet-android-arm64" src="$REPO_ROOT/dist/paddlenet-linux-arm64"
  [ -x "$src/paddlenet" ] || publish_linux_arm64 >/dev/null
  rm -rf "$out" && mkdir -p "$out/lib"
  cp -a "$src"/. "$out/lib/"
  mv "$out/lib/paddlenet" "$out/lib/paddlenet.bin"
  copy_needed_libs "$out/lib" "/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu" all
  cp -L /lib/ld-linux-aarch64.so.1 "$out/lib/ld-linux-aarch64.so.1"
  cp "$REPO_ROOT/scripts/android-launcher.sh" "$out/paddlenet"
  chmod +x "$out/paddlenet" "$out/lib/ld-linux-aarch64.so.1"
  echo "$out"
}
