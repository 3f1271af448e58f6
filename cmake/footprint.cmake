# Lean linking of the cairn binary (issue 8: idle RSS under 10 MiB, startup under 10 ms).
#
# Each shared library costs resident pages at startup (its symbol tables, the pages the dynamic
# linker touches to relocate it, fault-around of its text) and CPU in ld.so. Linking the
# third-party libraries from Debian's static archives, libstdc++ and libgcc statically, and
# dropping unreferenced sections leaves only glibc shared. Measured on this machine (medians of
# 20 alternating starts): idle VmRSS 8.1 -> 6.5 MiB, startup CPU 5.7 -> 4.4 ms.
#
# glibc stays shared on purpose: a fully static (-static-pie) cairn measured 5.5 MiB / 3.9 ms,
# but valgrind's tools (bench/scale.py runs massif) cannot intercept a static binary's malloc,
# and static glibc carries NSS/dlopen caveats.
#
# Sanitizer and fuzzing builds (cmake/cairn.cmake) keep the default shared linking: the
# sanitizer runtimes want a shared libstdc++. -DCAIRN_LEAN_LINK=OFF restores it elsewhere too.
option(CAIRN_LEAN_LINK "Link cairn with static third-party archives and libstdc++" ON)
if(CAIRN_LEAN_LINK AND NOT CAIRN_SANITIZE AND NOT CAIRN_FUZZ)
  # Read by find_package(Boost): the -variant-static configs Debian installs.
  set(Boost_USE_STATIC_LIBS ON)

  # Repoints an imported library at the .a beside its .so, when Debian ships one.
  function(_cairn_use_archive target property)
    get_target_property(location ${target} ${property})
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
    if(location AND EXISTS "${archive}")
      set_property(TARGET ${target} PROPERTY ${property} "${archive}")
    endif()
  endfunction()

  # Runs once the top-level CMakeLists is read: the imported targets and cairn exist then, and
  # link lines are only computed at generation.
  function(_cairn_lean_link)
    _cairn_use_archive(SQLite::SQLite3 IMPORTED_LOCATION)
    set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES m
                                                                                 ${CMAKE_DL_LIBS})
    get_target_property(configurations yaml-cpp IMPORTED_CONFIGURATIONS)
    foreach(configuration IN LISTS configurations)
      _cairn_use_archive(yaml-cpp IMPORTED_LOCATION_${configuration})
    endforeach()
    get_target_property(re2_libraries PkgConfig::RE2 INTERFACE_LINK_LIBRARIES)
    list(TRANSFORM re2_libraries REPLACE "libre2\\.so$" "libre2.a")
    set_property(TARGET PkgConfig::RE2 PROPERTY INTERFACE_LINK_LIBRARIES "${re2_libraries}")

    # Only the cairn binary, whose footprint is measured; the test binaries gain nothing from
    # it but longer links.
    target_link_options(cairn PRIVATE -static-libstdc++ -static-libgcc
                        LINKER:-O1,--as-needed,--gc-sections)
  endfunction()
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _cairn_lean_link)
endif()
