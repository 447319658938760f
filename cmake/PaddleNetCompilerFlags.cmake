# Compiler settings for PaddleNet's own targets. Call paddlenet_set_compile_options(<target>)
# on every target defined in this repository; third-party headers are included as SYSTEM.

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

# Export nothing by default: only functions marked PADDLENET_NATIVE_API are visible.
set(CMAKE_C_VISIBILITY_PRESET hidden)
set(CMAKE_CXX_VISIBILITY_PRESET hidden)
set(CMAKE_VISIBILITY_INLINES_HIDDEN ON)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

function(paddlenet_set_compile_options target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /utf-8 /permissive-)
        if(PADDLENET_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
            -Wformat=2 -Wundef -Wcast-qual -Wnull-dereference
            -fvisibility=hidden)
        target_compile_options(${target} PRIVATE
            $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
            $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast -fvisibility-inlines-hidden>)
        if(PADDLENET_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()

# Shared libraries must not have undefined symbols left for the loader to guess at.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    string(APPEND CMAKE_SHARED_LINKER_FLAGS " -Wl,--no-undefined -Wl,--as-needed")
endif()
