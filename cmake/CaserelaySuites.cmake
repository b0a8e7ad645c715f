# Run by caserelay_test(... PER_SUITE) after its binary is linked (cmake -P):
# asks the binary for its tests (--gtest_list_tests) and writes OUT, which
# sets caserelay_suites to the names of its gtest suites; the ctest file
# caserelay_test generated registers one test per suite from it.
#
# Variables (-D): EXE (the test binary), OUT (the file to write), WORKDIR.
if(NOT EXISTS "${EXE}")
  message(FATAL_ERROR "CaserelaySuites: no test binary ${EXE}")
endif()
execute_process(COMMAND "${EXE}" --gtest_list_tests
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE listing RESULT_VARIABLE rc TIMEOUT 30)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR
    "CaserelaySuites: ${EXE} --gtest_list_tests failed (${rc})")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(suites "")
foreach(line IN LISTS lines)
  # A suite line is not indented and ends in '.' (before a "# TypeParam"
  # comment); its tests' lines are indented.
  if(line MATCHES "^([^ #][^ ]*)\\.( .*)?$")
    list(APPEND suites "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(suites STREQUAL "")
  message(FATAL_ERROR "CaserelaySuites: ${EXE} lists no test suite")
endif()
file(WRITE "${OUT}" "set(caserelay_suites [==[${suites}]==])\n")
