# Cross-compile the native shim for 64-bit ARM Linux (armv8-a, .NET RID linux-arm64).
#
#   apt-get install g++-aarch64-linux-gnu libopencv-dev:arm64   # multiarch sysroot, or use --sysroot
#   cmake -S . -B build/native-arm64 -DCMAKE_BUILD_TYPE=Release \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
#   cmake --build build/native-arm64 -j2
#
# Output: build/native-arm64/runtimes/linux-arm64/native/libpaddlenet_native.so
# Optional: -DPADDLENET_SYSROOT=/path/to/arm64/rootfs (its OpenCV is used instead of multiarch).
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
    set(OpenCV_DIR "/usr/lib/aarch64-linux-gnu/cmake/opencv4" CACHE PATH "arm64 OpenCV package")
endif()

# Programs come from the host; headers, libraries and packages from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest cannot run arm64 binaries here unless qemu-user is installed.
find_program(PADDLENET_QEMU_AARCH64 qemu-aarch64)
if(PADDLENET_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${PADDLENET_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu")
endif()
