# Cross-compile for 64-bit Windows (.NET RID win-x64) with Debian's MinGW-w64 (posix thread model).
#
#   apt-get install g++-mingw-w64-x86-64-posix libz-mingw-w64-dev
#   cmake -S . -B build/native-win-x64 -DCMAKE_BUILD_TYPE=Release \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake \
#         -DPADDLENET_WIN_PREFIX=<static OpenCV install, see scripts/build-opencv-mingw.sh>
#
# Used for the static third-party builds (libjpeg-turbo, libpng, libwebp, OpenCV) and for the shim,
# so everything links into one paddlenet_native.dll that imports only Windows system DLLs.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(PADDLENET_MINGW_TRIPLE "x86_64-w64-mingw32" CACHE STRING "MinGW-w64 target triple")
# The -posix variants carry std::thread/std::mutex (OpenCV's parallel_for needs them).
set(CMAKE_C_COMPILER   "${PADDLENET_MINGW_TRIPLE}-gcc-posix")
set(CMAKE_CXX_COMPILER "${PADDLENET_MINGW_TRIPLE}-g++-posix")
set(CMAKE_RC_COMPILER  "${PADDLENET_MINGW_TRIPLE}-windres")
set(CMAKE_ASM_NASM_COMPILER nasm)

# Windows x64 guarantees only 16-byte stack alignment and GCC's 32-byte AVX spills can be misaligned
# (GCC bug 54412): have the assembler emit unaligned moves so dispatched AVX2 code cannot fault.
set(CMAKE_C_FLAGS_INIT   "-Wa,-muse-unaligned-vector-move")
set(CMAKE_CXX_FLAGS_INIT "-Wa,-muse-unaligned-vector-move")
# No libgcc/libstdc++/libwinpthread DLLs beside ours: link the runtime statically.
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static -static-libgcc -static-libstdc++")

set(CMAKE_FIND_ROOT_PATH "/usr/${PADDLENET_MINGW_TRIPLE}")
if(PADDLENET_WIN_PREFIX)
    list(APPEND CMAKE_FIND_ROOT_PATH "${PADDLENET_WIN_PREFIX}")
    list(APPEND CMAKE_PREFIX_PATH "${PADDLENET_WIN_PREFIX}")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest runs the Windows test program under Wine when it is installed.
find_program(PADDLENET_WINE wine)
if(PADDLENET_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${PADDLENET_WINE}")
endif()
