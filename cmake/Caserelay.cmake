# Helpers shared by every CMakeLists.txt of the tree.
include(GoogleTest)
set(CASERELAY_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

# Our own code builds with warnings as errors (CONVENTIONS.md #11);
# generated code does not go through these helpers.
set(CASERELAY_WARNINGS -Wall -Wextra -Werror)

# caserelay_library(NAME SOURCES a.cc b.cc DEPS lib1 lib2)
# A static library of our own code; include paths are from the repo root,
# so headers are included as "common/log/log.h".
function(caserelay_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CASERELAY_WARNINGS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# caserelay_binary(NAME SOURCES main.cc DEPS lib1 lib2)
function(caserelay_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CASERELAY_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# The test sources build with levers that pay on a clean build (bench/build/
# README.md, bench/README.md's table): the test sources are two thirds of
# its CPU, and most of theirs goes to parsing gRPC, protobuf, the generated
# headers and gtest/gmock, and to optimising test bodies.
# - At -O1 in the optimised build types (the code under test keeps the
#   build type's level: it lives in the libraries; Debug stays -O0).
# - CASERELAY_TEST_PCH: every test source reuses one precompiled header of
#   every generated proto, grpc++, gtest and gmock (caserelay_test_pch,
#   built once). AUTO: on unless the compiler launcher is ccache, as in CI
#   (no launcher). Under ccache it hits only with CCACHE_SLOPPINESS=
#   pch_defines,time_macros,include_file_mtime,include_file_ctime, and any
#   .proto change would rebuild every test source, not only those that
#   include it; ON forces it (bench/build/README.md).
set(CASERELAY_TEST_PCH AUTO CACHE STRING
  "Precompiled header for the test sources: ON, OFF or AUTO (off under ccache)")
set_property(CACHE CASERELAY_TEST_PCH PROPERTY STRINGS AUTO ON OFF)
if(CASERELAY_TEST_PCH STREQUAL "AUTO")
  if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
    set(CASERELAY_TEST_PCH_ON FALSE)
  else()
    set(CASERELAY_TEST_PCH_ON TRUE)
  endif()
else()
  set(CASERELAY_TEST_PCH_ON ${CASERELAY_TEST_PCH})
endif()

# What every test target and the PCH built for them share (a PCH is used
# only with the flags it was built with: -Winvalid-pch under -Werror fails
# a source that would not use it). -pthread (it defines _REENTRANT) comes
# with gRPC's targets but not with gtest's alone: given to every test.
function(_caserelay_test_flags name)
  target_compile_options(${name} PRIVATE ${CASERELAY_WARNINGS}
    $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-O1> -pthread)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    CASERELAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CASERELAY_BINARY_DIR="${PROJECT_BINARY_DIR}")
endfunction()

# caserelay_test_pch(): the precompiled header every caserelay_test reuses
# (tests/CMakeLists.txt calls it before any test). Its headers: every
# generated proto of caserelay_proto (read from its sources, so a new
# .proto is in it without an edit here), grpc++, gtest, gmock.
function(caserelay_test_pch)
  if(NOT CASERELAY_TEST_PCH_ON)
    return()
  endif()
  set(src ${CMAKE_CURRENT_BINARY_DIR}/caserelay_test_pch.cc)
  file(CONFIGURE OUTPUT ${src} CONTENT
    "// The object the test sources' precompiled header is built for.\n")
  add_library(caserelay_test_pch OBJECT ${src})
  target_link_libraries(caserelay_test_pch PRIVATE caserelay_proto
    GTest::gtest GTest::gtest_main GTest::gmock)
  _caserelay_test_flags(caserelay_test_pch)
  get_target_property(proto_srcs caserelay_proto SOURCES)
  set(headers "")
  foreach(proto_src IN LISTS proto_srcs)
    if(proto_src MATCHES "(caserelay/v1/[a-z0-9_]+(\\.grpc)?\\.pb)\\.cc$")
      list(APPEND headers "<${CMAKE_MATCH_1}.h>")
    endif()
  endforeach()
  if(headers STREQUAL "")
    message(FATAL_ERROR "caserelay_test_pch: caserelay_proto has no generated sources")
  endif()
  target_precompile_headers(caserelay_test_pch PRIVATE ${headers}
    <grpcpp/grpcpp.h> <gtest/gtest.h> <gmock/gmock.h>)
endfunction()

# caserelay_test(NAME SOURCES x_test.cc DEPS lib1 [LABELS unit] [TIMEOUT s]
#                [PER_SUITE] [ALONE])
# A GoogleTest binary registered with ctest as one test per TEST(), or with
# PER_SUITE as one test per gtest suite ("Suite", running Suite.*), so a
# suite that shares one costly fixture among its tests (SetUpTestSuite,
# e.g. one System) starts it once; TIMEOUT is then the whole suite's.
# Integration tests (LABELS integration) start whole systems that mostly
# wait on Kafka and timers, each on its own loopback ports
# (FreeLoopbackPort), temporary directory, consumer groups and simulated
# clock: they run beside another test (two at a time with ctest -j2), the
# longest first (COST: their TIMEOUT, as a fresh CI build has no measured
# costs). ALONE runs one with no other test beside it (RUN_SERIAL): it
# asserts a real-time bound that a second system on two cores could break.
# Under the sanitizers every integration test runs alone.
# More than one label (e.g. LABELS integration scale) needs PER_SUITE:
# gtest_discover_tests (CMake 3.25) splits a list-valued LABELS into
# "integration" and a stray property "scale", so the test would lose the
# label that keeps it out of scripts/test's default run.
# CASERELAY_SOURCE_DIR and CASERELAY_BINARY_DIR are defined for tests that
# need data files or built binaries.
function(caserelay_test name)
  cmake_parse_arguments(ARG "PER_SUITE;ALONE" "TIMEOUT" "SOURCES;DEPS;LABELS"
    ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  _caserelay_test_flags(${name})
  if(CASERELAY_TEST_PCH_ON)
    target_precompile_headers(${name} REUSE_FROM caserelay_test_pch)
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # Code under the sanitizers runs several times slower (scripts/test
  # --sanitize gives the same scale to the harness's waits).
  if(CASERELAY_SANITIZE)
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${CASERELAY_SANITIZE_TIME_SCALE}")
  endif()
  set(serial FALSE)
  set(cost 0)
  if("integration" IN_LIST ARG_LABELS)
    if(ARG_ALONE OR CASERELAY_SANITIZE)
      set(serial TRUE)
    endif()
    set(cost ${ARG_TIMEOUT})
  endif()
  if(ARG_PER_SUITE)
    _caserelay_add_suites(${name} "${ARG_LABELS}" ${ARG_TIMEOUT} ${serial}
      ${cost})
    return()
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} RUN_SERIAL ${serial}
      COST ${cost}
    DISCOVERY_TIMEOUT 30)
endfunction()

# caserelay_test's PER_SUITE: after the link, CaserelaySuites.cmake lists
# the binary's suites into NAME_suites.cmake; ctest reads it through
# NAME_suites_include.cmake and registers each suite with the properties.
function(_caserelay_add_suites name labels timeout serial cost)
  set(dir ${CMAKE_CURRENT_BINARY_DIR})
  set(list_file ${dir}/${name}_suites.cmake)
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -D EXE=$<TARGET_FILE:${name}>
      -D OUT=${list_file} -D WORKDIR=${dir}
      -P ${CASERELAY_CMAKE_DIR}/CaserelaySuites.cmake
    BYPRODUCTS ${list_file} VERBATIM)
  set(include_file ${dir}/${name}_suites_include.cmake)
  file(GENERATE OUTPUT ${include_file} CONTENT "\
if(EXISTS [==[${list_file}]==])
  include([==[${list_file}]==])
  foreach(suite IN LISTS caserelay_suites)
    add_test(\"\${suite}\" [==[$<TARGET_FILE:${name}>]==]
      \"--gtest_filter=\${suite}.*\")
    set_tests_properties(\"\${suite}\" PROPERTIES
      WORKING_DIRECTORY [==[${dir}]==] LABELS [==[${labels}]==]
      TIMEOUT ${timeout} RUN_SERIAL ${serial} COST ${cost})
  endforeach()
else()
  add_test(${name}_NOT_BUILT ${name}_NOT_BUILT)
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
