# Cross-compile the native shim for 64-bit ARM Linux (armv8-a, .NET RID linux-arm64).
#
#   apt-get install g++-aarch64-linux-gnu libopencv-dev:arm64   # multiarch sysroot, or use --sysroot
#   cmake -S . -B build/native-arm64 -DCMAKE_BUILD_TYPE=Release \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
#   cmake --build build/native-arm64 -j2
#
# Output: build/native-arm64/runtimes/linux-arm64/native/libpaddlenet_native.so
# Optional: -DPADDLENET_SYSROOT=/path/to/arm64/rootfs (its OpenCV is used instead of multiarch).
# Optional: -DPADDLENET_EXTRA_ROOT=/path (a folder with usr/include + usr/lib/aarch64-linux-gnu, e.g. Debian
# arm64 .debs unpacked with dpkg-deb -x) searched before multiarch. scripts/lib-arm.sh uses it with a minimal
# static OpenCV; see native/README.md.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(PADDLENET_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "Cross toolchain prefix")
set(CMAKE_C_COMPILER   "${PADDLENET_CROSS_PREFIX}gcc")
set(CMAKE_CXX_COMPILER "${PADDLENET_CROSS_PREFIX}g++")
set(CMAKE_C_FLAGS_INIT   "-march=armv8-a")
set(CMAKE_CXX_FLAGS_INIT "-march=armv8-a")

if(PADDLENET_SYSROOT)
    set(CMAKE_SYSROOT "${PADDLENET_SYSROOT}")
    set(CMAKE_FIND_ROOT_PATH "${PADDLENET_SYSROOT}")
else()
    # Debian multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu of the host.
    # OpenCVConfig.cmake for arm64 is /usr/lib/aarch64-linux-gnu/cmake/opencv4.
    set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
    set(CMAKE_FIND_ROOT_PATH "/usr/aarch64-linux-gnu" "/")
    if(PADDLENET_EXTRA_ROOT)
        list(PREPEND CMAKE_FIND_ROOT_PATH "${PADDLENET_EXTRA_ROOT}")
        # Libraries there need each other at link time (libpng -> libz): let ld find them.
        foreach(_pn_kind EXE SHARED MODULE)
            set(CMAKE_${_pn_kind}_LINKER_FLAGS_INIT "-Wl,-rpath-link,${PADDLENET_EXTRA_ROOT}/usr/lib/aarch64-linux-gnu")
        endforeach()
    endif()
    set(OpenCV_DIR "/usr/lib/aarch64-linux-gnu/cmake/opencv4" CACHE PATH "arm64 OpenCV package")
endif()

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PADDLENET_SYSROOT PADDLENET_EXTRA_ROOT PADDLENET_CROSS_PREFIX)

# Programs come from the host; headers, libraries and packages from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest runs arm64 binaries through qemu-user when it is installed. -L / (multiarch loader and libc):
# /usr/aarch64-linux-gnu holds the cross compiler's own libc, whose version differs from the multiarch
# one the binaries link, and qemu hangs with it.
find_program(PADDLENET_QEMU_AARCH64 qemu-aarch64)
if(PADDLENET_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${PADDLENET_QEMU_AARCH64};-L;/")
endif()
