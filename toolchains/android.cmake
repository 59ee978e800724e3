# Cross-compiling edgert for Android (arm64-v8a or armeabi-v7a with NEON) with the Android NDK.
# This file wraps the NDK's own toolchain file (build/cmake/android.toolchain.cmake) and adds
# where edgert's dependencies come from.
#
# NOT TESTED: this machine has no Android NDK and no device. It was written against the NDK's
# documented CMake variables (ANDROID_ABI, ANDROID_PLATFORM, ANDROID_STL) and has never been run;
# expect to adjust it on first use, and please report what you changed.
#
#   export ANDROID_NDK=/path/to/android-ndk            (or ANDROID_NDK_HOME, ANDROID_NDK_ROOT)
#   cmake -S . -B build-android-arm64 -DCMAKE_TOOLCHAIN_FILE=toolchains/android.cmake \
#         -DANDROID_ABI=arm64-v8a -DANDROID_PLATFORM=android-24 \
#         -DERT_DEPS_PREFIX=/path/to/android-arm64-deps \
#         -DERT_BUILD_TESTS=OFF -DERT_BUILD_TOOLS=OFF [-DERT_WITH_XNNPACK=OFF]
#   cmake --build build-android-arm64 && cmake --install build-android-arm64 --prefix ...
#
# Dependencies. Debian's XNNPACK, pthreadpool and cpuinfo are Linux (glibc) builds and cannot be
# linked into an Android program, so ERT_DEPS_PREFIX must be a folder with include/ and lib/
# built for the same ABI (one prefix per ABI). It is searched as a find root, the NDK's sysroot
# being the other:
#   * pthreadpool and cpuinfo (libraries; needed even with ERT_WITH_XNNPACK=OFF, because edgert's
#     own kernels use them) and, unless ERT_WITH_XNNPACK=OFF, XNNPACK: build each from its
#     upstream CMake project with this NDK's android.toolchain.cmake, the same ANDROID_ABI and
#     ANDROID_PLATFORM, and -DCMAKE_INSTALL_PREFIX=<the prefix>. XNNPACK's version must be one
#     whose API edgert uses (the Debian 12 snapshot, git ae108ef, is what edgert is tested with).
#   * header-only: FP16 (fp16.h and fp16/) and FlatBuffers (flatbuffers/); the FlatBuffers headers
#     must be the version of the host's flatc (Debian 12: 2.0.8), because the generated schema
#     header checks it. Headers are the same for every target, so copying the host's works:
#       mkdir -p PREFIX/include && cp -r /usr/include/flatbuffers /usr/include/fp16.h \
#             /usr/include/fp16 PREFIX/include/
#     (Never pass the host's /usr/include itself: its glibc headers would shadow Bionic's.)
#   * the tests and the ert tool also need doctest, CLI11 and nlohmann/json headers there; copy
#     them the same way to build them (running them needs a device: adb push, then adb shell).
#
# flatc runs on the host. armeabi-v7a builds with NEON (the NDK's default since r21); ARMv7
# devices without NEON are not supported with XNNPACK.

cmake_minimum_required(VERSION 3.16)

if(NOT ANDROID_NDK)
  foreach(ert_variable ANDROID_NDK ANDROID_NDK_HOME ANDROID_NDK_ROOT)
    if(DEFINED ENV{${ert_variable}} AND EXISTS "$ENV{${ert_variable}}")
      set(ANDROID_NDK "$ENV{${ert_variable}}")
      break()
    endif()
  endforeach()
endif()
if(NOT ANDROID_NDK OR NOT EXISTS "${ANDROID_NDK}/build/cmake/android.toolchain.cmake")
  message(FATAL_ERROR "toolchains/android.cmake: set ANDROID_NDK (environment or -DANDROID_NDK=) "
                      "to an Android NDK folder; '${ANDROID_NDK}' has no "
                      "build/cmake/android.toolchain.cmake")
endif()
# try_compile projects read this file again with only these variables passed on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ANDROID_NDK ERT_DEPS_PREFIX)

if(NOT ANDROID_ABI)
  set(ANDROID_ABI arm64-v8a)
endif()
if(NOT ANDROID_ABI MATCHES "^(arm64-v8a|armeabi-v7a)$")
  message(FATAL_ERROR "toolchains/android.cmake: ANDROID_ABI must be arm64-v8a or armeabi-v7a, "
                      "not ${ANDROID_ABI}")
endif()
if(ANDROID_ABI STREQUAL "armeabi-v7a" AND NOT DEFINED ANDROID_ARM_NEON)
  set(ANDROID_ARM_NEON ON)
endif()

include("${ANDROID_NDK}/build/cmake/android.toolchain.cmake")

# The dependencies' prefix joins the NDK sysroot as a find root (the NDK file searches libraries,
# headers and packages only under the roots, and programs, such as flatc, only on the host).
if(ERT_DEPS_PREFIX)
  get_filename_component(ERT_DEPS_PREFIX "${ERT_DEPS_PREFIX}" ABSOLUTE)
  list(APPEND CMAKE_FIND_ROOT_PATH "${ERT_DEPS_PREFIX}")
endif()
set(ERT_DEPS_PREFIX "${ERT_DEPS_PREFIX}" CACHE PATH
    "Prefix with include/ and lib/ of XNNPACK, pthreadpool, cpuinfo, FP16, FlatBuffers for ${ANDROID_ABI}")
