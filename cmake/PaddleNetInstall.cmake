# Runtime identifier (.NET RID) of the target platform, and the runtimes/<rid>/native layout
# that .NET's native-asset probing and NuGet packing expect.
#
#   PADDLENET_RID               e.g. linux-x64, linux-arm64, win-x64, osx-arm64
#   PADDLENET_RUNTIME_DIR       runtimes/${PADDLENET_RID}/native (relative)
#   PADDLENET_RUNTIME_OUTPUT    ${CMAKE_BINARY_DIR}/${PADDLENET_RUNTIME_DIR}: where the build puts the library

string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _pn_proc)
if(_pn_proc MATCHES "^(x86_64|amd64|x64)$")
    set(_pn_arch x64)
elseif(_pn_proc MATCHES "^(aarch64|arm64|armv8.*)$")
    set(_pn_arch arm64)
elseif(_pn_proc MATCHES "^(i[3-6]86|x86)$")
    set(_pn_arch x86)
elseif(_pn_proc MATCHES "^arm")
    set(_pn_arch arm)
else()
    set(_pn_arch "${_pn_proc}")
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Windows")
    set(_pn_os win)
elseif(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
    set(_pn_os osx)
else()
    set(_pn_os linux)
endif()

set(PADDLENET_RID "${_pn_os}-${_pn_arch}" CACHE STRING ".NET runtime identifier of the target")
set(PADDLENET_RUNTIME_DIR "runtimes/${PADDLENET_RID}/native")
set(PADDLENET_RUNTIME_OUTPUT "${CMAKE_BINARY_DIR}/${PADDLENET_RUNTIME_DIR}")
message(STATUS "PaddleNet: RID ${PADDLENET_RID}, library output ${PADDLENET_RUNTIME_OUTPUT}")

# Put <target>'s binary in runtimes/<rid>/native of the build tree and install it to the same
# relative folder under CMAKE_INSTALL_PREFIX.
function(paddlenet_install_runtime target)
    set_target_properties(${target} PROPERTIES
        LIBRARY_OUTPUT_DIRECTORY "${PADDLENET_RUNTIME_OUTPUT}"
        RUNTIME_OUTPUT_DIRECTORY "${PADDLENET_RUNTIME_OUTPUT}")
    foreach(_cfg ${CMAKE_CONFIGURATION_TYPES})
        string(TOUPPER "${_cfg}" _cfg_upper)
        set_target_properties(${target} PROPERTIES
            LIBRARY_OUTPUT_DIRECTORY_${_cfg_upper} "${PADDLENET_RUNTIME_OUTPUT}"
            RUNTIME_OUTPUT_DIRECTORY_${_cfg_upper} "${PADDLENET_RUNTIME_OUTPUT}")
    endforeach()
    install(TARGETS ${target}
        LIBRARY DESTINATION "${PADDLENET_RUNTIME_DIR}"
        RUNTIME DESTINATION "${PADDLENET_RUNTIME_DIR}")
endfunction()
