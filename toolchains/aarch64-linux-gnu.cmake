# Cross-compiling edgert for 64-bit ARM Linux (aarch64: Raspberry Pi 3/4/5 with a 64-bit OS,
# Jetson, other ARMv8-A boards) from an amd64 Debian host.
#
# Tested with: Debian 12 amd64, g++-aarch64-linux-gnu 12.2.0, qemu-user 7.2, cmake 3.25, and the
# arm64 Debian 12 packages that scripts/cross-setup.sh unpacks into the sysroot; the whole test
# suite passes under qemu-aarch64 (default CPU, and -cpu cortex-a53). The whole recipe (setup,
# configure, build, ctest under qemu) is scripts/cross-test.sh aarch64.
#
#   scripts/cross-setup.sh aarch64
#   cmake -S . -B build-cross/aarch64 -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake \
#         [-DERT_SYSROOT=/path/to/sysroot] [-DERT_QEMU_CPU=cortex-a53]
#
# ARMv8-A has NEON as a baseline, so no CPU flags are needed; the library picks ARMv8.2-A fp16
# and dot-product code at run time from cpuinfo. Tests run under qemu-aarch64 through CMake's
# emulator hook. What the variables mean: toolchains/debian-cross.cmake.

set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(ERT_CROSS_TRIPLET aarch64-linux-gnu)
set(ERT_CROSS_DEBARCH arm64)
set(ERT_CROSS_QEMU qemu-aarch64)
set(ERT_CROSS_CPU_FLAGS "")
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
