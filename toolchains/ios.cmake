# Cross-compiling edgert for iOS devices (arm64) on macOS with Xcode.
#
# NOT TESTED: this machine has no macOS and no Xcode. It was written against CMake's documented
# iOS support (CMAKE_SYSTEM_NAME iOS, CMake 3.14 or later) and has never been run; expect to
# adjust it on first use, and please report what you changed.
#
#   cmake -S . -B build-ios -G Xcode -DCMAKE_TOOLCHAIN_FILE=toolchains/ios.cmake \
#         -DERT_DEPS_PREFIX=/path/to/ios-arm64-deps -DERT_BUILD_TESTS=OFF -DERT_BUILD_TOOLS=OFF
#   cmake --build build-ios --config Release
#   cmake --install build-ios --config Release --prefix ...
# The simulator: add -DCMAKE_OSX_SYSROOT=iphonesimulator (on Apple silicon it is arm64 too).
#
# Apps link libedgert.a (edgert::edgert_static, or libedgert.a from the install prefix); the
# dylib that `cmake --install` also produces would have to be wrapped into a framework and signed
# to ship, which this project does not do.
#
# Dependencies: as for Android (see toolchains/android.cmake), ERT_DEPS_PREFIX must hold include/
# and lib/ of pthreadpool and cpuinfo (always) and XNNPACK (unless -DERT_WITH_XNNPACK=OFF), built
# for iOS arm64 from their upstream CMake projects with this toolchain file, plus the FP16 and
# FlatBuffers headers (the FlatBuffers version of the host's flatc). flatc runs on the Mac: install
# it with Homebrew or build it, in the same version as the headers.

set(CMAKE_SYSTEM_NAME iOS)
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(CMAKE_OSX_ARCHITECTURES arm64 CACHE STRING "iOS architectures")
set(CMAKE_OSX_DEPLOYMENT_TARGET 13.0 CACHE STRING "Oldest iOS version to run on")
# A test program must be code-signed to link for iOS, so CMake's compiler checks build a static
# library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ERT_DEPS_PREFIX)

# Libraries, headers and packages only from the SDK and the dependencies' prefix; programs
# (flatc, python3) from the Mac.
if(ERT_DEPS_PREFIX)
  get_filename_component(ERT_DEPS_PREFIX "${ERT_DEPS_PREFIX}" ABSOLUTE)
  list(APPEND CMAKE_FIND_ROOT_PATH "${ERT_DEPS_PREFIX}")
endif()
set(ERT_DEPS_PREFIX "${ERT_DEPS_PREFIX}" CACHE PATH
    "Prefix with include/ and lib/ of XNNPACK, pthreadpool, cpuinfo, FP16, FlatBuffers for iOS arm64")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
