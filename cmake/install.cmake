# Install rules, included at the end of the root CMakeLists.txt when ERT_INSTALL is on (the default
# for a top-level build). One build and one install give everything:
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
#   cmake --build build -j2
#   cmake --install build --prefix PREFIX
#
# installs (LIBDIR is CMAKE_INSTALL_LIBDIR: lib, or lib/<multiarch> when PREFIX is /usr):
#   include/ert/ert.h, include/ert/ert.hpp              the public API, nothing else
#   LIBDIR/libedgert.a                                  static library
#   LIBDIR/libedgert.so -> .so.0 -> .so.<version>       shared library (exports the C API only)
#   LIBDIR/cmake/edgert/edgertConfig.cmake, edgertConfigVersion.cmake, edgertTargets*.cmake
#   LIBDIR/pkgconfig/edgert.pc
#
# The CMake package gives edgert::edgert_static, edgert::edgert_shared and edgert::edgert (the
# static one unless the consumer builds with BUILD_SHARED_LIBS=ON); see cmake/edgertConfig.cmake.in.
#
# Steps:
#   1. Link the objects of the `edgert` target twice, into edgert_static and edgert_shared (both
#      named libedgert, in BUILD/lib), so that the sources compile once whatever BUILD_SHARED_LIBS
#      says. The objects are position-independent and hide every symbol but the C API's
#      (CMAKE_POSITION_INDEPENDENT_CODE, CXX_VISIBILITY_PRESET in the root file), which is what a
#      shared library needs and does no harm to a static one.
#   2. Give the static library a link interface that names its dependencies (XNNPACK, pthreadpool,
#      cpuinfo, threads) by imported targets the package config creates, instead of the build
#      machine's absolute paths, which CMake would otherwise export.
#   3. Install headers, libraries and the exported targets; generate the package config, its
#      version file and edgert.pc from the templates beside this file.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# ---- 1. The two installed libraries. -----------------------------------------------------------
set(ert_install_lib_dir ${PROJECT_BINARY_DIR}/lib)
add_library(edgert_static STATIC $<TARGET_OBJECTS:edgert>)
add_library(edgert_shared SHARED $<TARGET_OBJECTS:edgert>)
foreach(ert_target edgert_static edgert_shared)
  add_dependencies(${ert_target} edgert)
  set_target_properties(${ert_target} PROPERTIES
    OUTPUT_NAME edgert
    EXPORT_NAME ${ert_target}
    LINKER_LANGUAGE CXX
    ARCHIVE_OUTPUT_DIRECTORY ${ert_install_lib_dir}
    LIBRARY_OUTPUT_DIRECTORY ${ert_install_lib_dir})
  target_include_directories(${ert_target} INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endforeach()
set_target_properties(edgert_shared PROPERTIES
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
# The shared library records its dependencies itself (DT_NEEDED); they stay out of its interface.
target_link_libraries(edgert_shared PRIVATE ${ERT_DEPENDENCY_LIBRARIES} Threads::Threads)
# ELF platforms (Linux, Android): export only the C API; see edgert.map.
if(NOT APPLE AND NOT WIN32)
  target_link_options(edgert_shared PRIVATE
    "LINKER:--version-script=${CMAKE_CURRENT_LIST_DIR}/edgert.map")
  set_property(TARGET edgert_shared APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/edgert.map)
endif()

# ---- 2. The static library's link interface. --------------------------------------------------
# In the build tree: the files found at configure time. Installed: edgert::dependencies, which
# edgertConfig.cmake makes from find_library results on the consumer's machine.
target_link_libraries(edgert_static INTERFACE
  "$<BUILD_INTERFACE:${ERT_DEPENDENCY_LIBRARIES};Threads::Threads>"
  "$<INSTALL_INTERFACE:edgert::dependencies>")

# Where the dependencies were found: hints for the package config, and -L flags for edgert.pc
# where the folder is not one the compiler searches anyway.
set(ert_dependency_names pthreadpool cpuinfo)
if(ERT_WITH_XNNPACK)
  list(PREPEND ert_dependency_names XNNPACK)
endif()
set(ert_dependency_dirs)
set(ert_pc_private_libs)
set(ert_implicit_dirs ${CMAKE_C_IMPLICIT_LINK_DIRECTORIES} ${CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES})
foreach(ert_library ${ERT_DEPENDENCY_LIBRARIES})
  get_filename_component(ert_dir ${ert_library} DIRECTORY)
  get_filename_component(ert_dir ${ert_dir} REALPATH)
  list(APPEND ert_dependency_dirs ${ert_dir})
  if(NOT ert_dir IN_LIST ert_implicit_dirs AND NOT "-L${ert_dir}" IN_LIST ert_pc_private_libs)
    list(APPEND ert_pc_private_libs "-L${ert_dir}")
  endif()
endforeach()
list(REMOVE_DUPLICATES ert_dependency_dirs)
foreach(ert_name ${ert_dependency_names})
  list(APPEND ert_pc_private_libs "-l${ert_name}")
endforeach()
# A C program that links the static library also needs the C++ runtime (libstdc++ and libm with
# GCC, libc++ with clang on some platforms): the C++ compiler's implicit libraries minus the C's.
list(APPEND ert_pc_private_libs ${CMAKE_THREAD_LIBS_INIT})
set(ert_cxx_runtime ${CMAKE_CXX_IMPLICIT_LINK_LIBRARIES})
list(REMOVE_ITEM ert_cxx_runtime ${CMAKE_C_IMPLICIT_LINK_LIBRARIES})
list(REMOVE_DUPLICATES ert_cxx_runtime)
foreach(ert_name ${ert_cxx_runtime})
  list(APPEND ert_pc_private_libs "-l${ert_name}")
endforeach()
list(JOIN ert_pc_private_libs " " ert_pc_private_libs)

# ---- 3. Install. ---------------------------------------------------------------------------------
set(ert_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/edgert)
file(GLOB ert_public_headers ${PROJECT_SOURCE_DIR}/include/ert/*.h
                             ${PROJECT_SOURCE_DIR}/include/ert/*.hpp)
install(FILES ${ert_public_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ert)
install(TARGETS edgert_static edgert_shared EXPORT edgertTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT edgertTargets NAMESPACE edgert:: DESTINATION ${ert_cmake_dir})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/edgertConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/edgertConfig.cmake
  INSTALL_DESTINATION ${ert_cmake_dir})
# 0.x: a minor version may change the API, so only the same minor version is compatible. The
# file also refuses a consumer whose pointer size differs (a 32-bit armhf package for a 64-bit
# build, say).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/install/edgertConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/edgertConfig.cmake
              ${PROJECT_BINARY_DIR}/install/edgertConfigVersion.cmake
        DESTINATION ${ert_cmake_dir})

# edgert.pc finds the prefix from its own place (${pcfiledir}), so that
# `cmake --install --prefix` anywhere gives a working file.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  message(FATAL_ERROR "edgert.pc needs CMAKE_INSTALL_LIBDIR and CMAKE_INSTALL_INCLUDEDIR "
                      "relative to the prefix")
endif()
file(RELATIVE_PATH ert_pc_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" ert_pc_prefix "${ert_pc_prefix}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/edgert.pc.in ${PROJECT_BINARY_DIR}/install/edgert.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/install/edgert.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
