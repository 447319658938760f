# User-facing options of the native build.
option(PADDLENET_BUILD_TESTS "Build the native ctest suite (native/tests)" ON)
option(PADDLENET_WARNINGS_AS_ERRORS "Treat compiler warnings in PaddleNet's own sources as errors" ON)

# Where the tests find the shared test data (see ../shared/README.md). An empty value means:
# the environment variable PADDLENET_SHARED at test time, else <repo>/../shared.
set(PADDLENET_SHARED_DIR "" CACHE PATH "Shared test data folder (default: \$PADDLENET_SHARED or <repo>/../shared)")

# OpenCV linked as static archives (scripts/lib-arm.sh's minimal arm64 build): the shim keeps their symbols
# private and drops what it does not use.
option(PADDLENET_STATIC_OPENCV "OpenCV_DIR is a static OpenCV build" OFF)
