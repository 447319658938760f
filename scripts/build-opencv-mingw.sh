#!/usr/bin/env bash
# Recipe: static OpenCV 4.6 (core, imgproc, imgcodecs) for win-x64, cross-built with MinGW-w64 from
# Debian's own source packages, with libjpeg-turbo, libpng and libwebp also from Debian's sources and
# Debian's MinGW zlib, all static. The hash of this file and the toolchain file keys the cache
# (scripts/lib-win.sh win_opencv_prefix), so editing either rebuilds.
#   build-opencv-mingw.sh PREFIX TOOLCHAIN_FILE
# Options follow Debian's debian/rules for amd64 where they apply: IPP off, CPU_BASELINE=SSE2 with
# OpenCV's default dispatch (SSE4.1/AVX2 kernels chosen at run time; the 8-bit resize and colour
# paths are bit-exact across them).
set -euo pipefail
PREFIX="$1"; TOOLCHAIN="$2"
JOBS="${PADDLENET_JOBS:-$(nproc)}"
WORK="$PREFIX.work"
rm -rf "$WORK" "$PREFIX"
mkdir -p "$WORK/src" "$PREFIX"
cd "$WORK/src"

# Debian source package -> unpacked tree. A security suite's index can name a version whose files
# are gone from the mirror: fall back to the other listed versions.
fetch_src() {
  local pkg="$1" v
  apt-get source -qq --download-only "$pkg" >/dev/null 2>&1 && return 0
  for v in $(apt-cache showsrc "$pkg" | awk '/^Version:/ {print $2}' | sort -rV); do
    apt-get source -qq --download-only "$pkg=$v" >/dev/null 2>&1 && return 0
  done
  echo "build-opencv-mingw: cannot download Debian source package $pkg (needs a deb-src entry)" >&2
  return 1
}
for p in libjpeg-turbo libpng1.6 libwebp; do
  fetch_src "$p"
  dpkg-source --no-check -x "$(ls ${p}_*.dsc | head -1)" "$p" >/dev/null
done
# OpenCV: only the main orig tarball (the contrib one is not needed; Debian's patches touch
# nothing in core/imgproc/imgcodecs). The dfsg tarball has no 3rdparty/ sources: hence the above.
fetch_src opencv
tar xf opencv_*+dfsg.orig.tar.xz
mv opencv-4.6.0* opencv

MINGW=/usr/x86_64-w64-mingw32
common=(-G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN"
  -DCMAKE_INSTALL_PREFIX="$PREFIX" -DPADDLENET_WIN_PREFIX="$PREFIX" -DBUILD_SHARED_LIBS=OFF
  -DZLIB_LIBRARY="$MINGW/lib/libz.a" -DZLIB_INCLUDE_DIR="$MINGW/include")
step() { echo "build-opencv-mingw: $1 ($(date -u +%T))" >&2; }

step libjpeg-turbo
# No CMAKE_INSTALL_LIBDIR here: libjpeg-turbo's own GNUInstallDirs resolves a relative one against the
# build folder, not the prefix (its default on Windows is already lib).
cmake -S libjpeg-turbo -B b-jpeg "${common[@]}" -DENABLE_SHARED=OFF -DENABLE_STATIC=ON \
  -DWITH_TURBOJPEG=OFF -DWITH_SIMD=ON -DREQUIRE_SIMD=ON >/dev/null
cmake --build b-jpeg -j "$JOBS" --target install >/dev/null
have() { [ -f "$PREFIX/lib/$1" ] || { echo "build-opencv-mingw: $1 was not installed into $PREFIX/lib" >&2; exit 1; }; }
have libjpeg.a

step libpng
cmake -S libpng1.6 -B b-png "${common[@]}" -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF \
  -DPNG_EXECUTABLES=OFF -DSKIP_INSTALL_PROGRAMS=ON -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
cmake --build b-png -j "$JOBS" --target install >/dev/null
have libpng16.a

step libwebp
cmake -S libwebp -B b-webp "${common[@]}" -DWEBP_BUILD_ANIM_UTILS=OFF -DWEBP_BUILD_CWEBP=OFF \
  -DWEBP_BUILD_DWEBP=OFF -DWEBP_BUILD_GIF2WEBP=OFF -DWEBP_BUILD_IMG2WEBP=OFF -DWEBP_BUILD_VWEBP=OFF \
  -DWEBP_BUILD_WEBPINFO=OFF -DWEBP_BUILD_WEBPMUX=OFF -DWEBP_BUILD_EXTRAS=OFF \
  -DCMAKE_INSTALL_LIBDIR=lib >/dev/null
cmake --build b-webp -j "$JOBS" --target install >/dev/null
have libwebp.a

step opencv
off=(WITH_IPP WITH_ITT WITH_OPENCL WITH_TIFF WITH_OPENEXR WITH_JASPER WITH_OPENJPEG WITH_PROTOBUF
  WITH_QUIRC WITH_ADE WITH_EIGEN WITH_LAPACK WITH_VA WITH_DSHOW WITH_MSMF WITH_WIN32UI WITH_FFMPEG
  WITH_GSTREAMER WITH_1394 WITH_DIRECTX WITH_VTK WITH_GTK WITH_QT WITH_OPENGL WITH_CUDA WITH_TBB
  WITH_OPENMP WITH_GDAL WITH_GDCM WITH_OBSENSOR WITH_CAROTENE WITH_OPENVX
  BUILD_ZLIB BUILD_JPEG BUILD_PNG BUILD_WEBP BUILD_TIFF BUILD_OPENEXR BUILD_OPENJPEG BUILD_JASPER
  BUILD_TESTS BUILD_PERF_TESTS BUILD_EXAMPLES BUILD_opencv_apps BUILD_DOCS BUILD_JAVA
  BUILD_opencv_python2 BUILD_opencv_python3 OPENCV_GENERATE_PKGCONFIG BUILD_PACKAGE)
flags=(); for o in "${off[@]}"; do flags+=("-D$o=OFF"); done
cmake -S opencv -B b-opencv "${common[@]}" "${flags[@]}" -DBUILD_LIST=core,imgproc,imgcodecs \
  -DWITH_JPEG=ON -DWITH_PNG=ON -DWITH_WEBP=ON \
  -DJPEG_INCLUDE_DIR="$PREFIX/include" -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" \
  -DPNG_PNG_INCLUDE_DIR="$PREFIX/include" -DPNG_LIBRARY="$PREFIX/lib/libpng16.a" \
  -DWEBP_INCLUDE_DIR="$PREFIX/include" -DWEBP_LIBRARY="$PREFIX/lib/libwebp.a" \
  -DCPU_BASELINE=SSE2 -DCPU_BASELINE_DISABLE=SSE3 -DBUILD_INFO_SKIP_TIMESTAMP=ON \
  -DOPENCV_BIN_INSTALL_PATH=bin -DOPENCV_LIB_INSTALL_PATH=lib -DOPENCV_3P_LIB_INSTALL_PATH=lib \
  -DOPENCV_CONFIG_INSTALL_PATH=lib/cmake/opencv4 -DOPENCV_INCLUDE_INSTALL_PATH=include/opencv4 \
  >"$WORK/opencv-cmake.log"
grep -E '^--\s+(JPEG|PNG|WEBP|ZLib|Baseline|Dispatched code generation|Parallel framework):' "$WORK/opencv-cmake.log" >&2 || true
cmake --build b-opencv -j "$JOBS" --target install >"$WORK/opencv-build.log"
for m in core imgproc imgcodecs; do have "libopencv_${m}460.a"; done
step done
rm -rf "$WORK"
