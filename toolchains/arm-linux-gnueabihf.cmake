# Cross-compiling edgert for 32-bit ARM Linux with NEON and hard-float (armhf: Raspberry Pi OS
# 32-bit on a Pi 2, 3, 4, 5 or Zero 2; other ARMv7-A boards with NEON) from an amd64 Debian host.
#
# Tested with: Debian 12 amd64, g++-arm-linux-gnueabihf 12.2.0, qemu-user 7.2 (qemu-arm, default
# CPU), cmake 3.25, and the armhf Debian 12 packages that scripts/cross-setup.sh unpacks into the
# sysroot. The whole recipe (setup, configure, build, ctest under qemu) is
# scripts/cross-test.sh armhf. Not tested on a real board.
#
#   scripts/cross-setup.sh armhf
#   cmake -S . -B build-cross/armhf -DCMAKE_TOOLCHAIN_FILE=toolchains/arm-linux-gnueabihf.cmake
#
# Debian's armhf baseline is ARMv7-A with VFPv3-D16 and no NEON; the flags below add NEON, which
# every ARMv7 Raspberry Pi has and which the XNNPACK build for ARM32 requires. The ARMv6 boards
# (Pi 1, Zero, Zero W) cannot run this build: configure with -DERT_WITH_XNNPACK=OFF and your own
# ARMv6 toolchain file for them. Programs use the target's glibc 2.36 (Debian 12; Raspberry Pi OS
# 12 "bookworm" has the same). What the variables mean: toolchains/debian-cross.cmake.

set(CMAKE_SYSTEM_PROCESSOR arm)
set(ERT_CROSS_TRIPLET arm-linux-gnueabihf)
set(ERT_CROSS_DEBARCH armhf)
set(ERT_CROSS_QEMU qemu-arm)
set(ERT_CROSS_CPU_FLAGS "-march=armv7-a -mfpu=neon -mfloat-abi=hard")
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
