# Helpers shared by every module's CMakeLists.

# cairn_module(NAME SOURCES ... DEPS ...): a static library for one folder of src/.
function(cairn_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# cairn_unit_test(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
function(cairn_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
endfunction()

# Sanitizers and fuzzing (scripts/hardening.sh; README "Sanitizers and fuzzing").
#   -DCAIRN_SANITIZE=address,undefined | thread: every object and binary built with them; UB
#     is fatal (-fno-sanitize-recover) so a test that hits it fails.
#   -DCAIRN_FUZZ=ON (clang only): every object also gets libFuzzer's coverage instrumentation
#     (-fsanitize=fuzzer-no-link) and fuzz/ builds one libFuzzer binary per target. The tests
#     of the same build dir still link and run without libFuzzer (the sanitizer runtime
#     provides the coverage callbacks), so one build serves the ASan tests and the fuzzers.
set(CAIRN_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined or thread")
option(CAIRN_FUZZ "Build the libFuzzer targets of fuzz/ (clang only)" OFF)
if(CAIRN_SANITIZE)
  add_compile_options(-fsanitize=${CAIRN_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${CAIRN_SANITIZE})
  if(CAIRN_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
    add_link_options(-fno-sanitize-recover=undefined)
  endif()
endif()
if(CAIRN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CAIRN_FUZZ needs clang (e.g. CXX=clang++-14)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(CAIRN_SANITIZE OR CAIRN_FUZZ)
  # -O1: quicker to build and still fast to run; asserts on (no NDEBUG), so a Result read on
  # the wrong side stops a test or a fuzzer.
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1")
endif()
