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

# caserelay_test(NAME SOURCES x_test.cc DEPS lib1 [LABELS unit] [TIMEOUT s]
#                [PER_SUITE])
# A GoogleTest binary registered with ctest as one test per TEST(), or with
# PER_SUITE as one test per gtest suite ("Suite", running Suite.*), so a
# suite that shares one costly fixture among its tests (SetUpTestSuite,
# e.g. one System) starts it once; TIMEOUT is then the whole suite's.
# CASERELAY_SOURCE_DIR and CASERELAY_BINARY_DIR are defined for tests that
# need data files or built binaries.
function(caserelay_test name)
  cmake_parse_arguments(ARG "PER_SUITE" "TIMEOUT" "SOURCES;DEPS;LABELS"
    ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CASERELAY_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    CASERELAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CASERELAY_BINARY_DIR="${PROJECT_BINARY_DIR}")
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
  # Integration tests start whole systems: one at a time, so two of them
  # never compete for the machine's two cores.
  set(serial FALSE)
  if("integration" IN_LIST ARG_LABELS)
    set(serial TRUE)
  endif()
  if(ARG_PER_SUITE)
    _caserelay_add_suites(${name} "${ARG_LABELS}" ${ARG_TIMEOUT} ${serial})
    return()
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} RUN_SERIAL ${serial}
    DISCOVERY_TIMEOUT 30)
endfunction()

# caserelay_test's PER_SUITE: after the link, CaserelaySuites.cmake lists
# the binary's suites into NAME_suites.cmake; ctest reads it through
# NAME_suites_include.cmake and registers each suite with the properties.
function(_caserelay_add_suites name labels timeout serial)
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
      TIMEOUT ${timeout} RUN_SERIAL ${serial})
  endforeach()
else()
  add_test(${name}_NOT_BUILT ${name}_NOT_BUILT)
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
