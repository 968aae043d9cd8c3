# kiosk-bench: the benchmark program behind `packaging/dev.sh bench` (first frame, RSS, idle CPU,
# frame cost, save latency against a raw fdatasync). A program, not a test: it is deliberately not
# registered with add_test, so ctest never times it. Built as build/tests/kiosk-bench.
add_executable(kiosk-bench kiosk_bench.cpp)
target_link_libraries(kiosk-bench PRIVATE kiosk_store)
target_compile_features(kiosk-bench PRIVATE cxx_std_20)

# sync-bench: records drained to a loopback head office against its store's and HTTP's ceilings.
add_executable(sync-bench sync_bench.cpp)
target_link_libraries(sync-bench PRIVATE sync_client headoffice PkgConfig::HTTPLIB)
# The multi-process figures run real `lobby-headoffice serve` processes.
target_compile_definitions(sync-bench PRIVATE LOBBY_HEADOFFICE="$<TARGET_FILE:lobby-headoffice>")
add_dependencies(sync-bench lobby-headoffice)

# estate-bench: the UI's frame cost on the large estate against the demo's (issue #14 item 10),
# through the headless driver. ctest runs it as well, for the reachability of the screens it times
# (it asserts no time).
add_executable(estate-bench estate_bench.cpp $<TARGET_OBJECTS:test_main>)
target_link_libraries(estate-bench PRIVATE kiosk_ui kiosk_platform Catch2::Catch2)
target_compile_definitions(estate-bench PRIVATE ${KIOSK_TEST_DEFS})
if(KIOSK_HAVE_FONT_SUBSET)
  target_compile_definitions(estate-bench PRIVATE KIOSK_FONT_SUBSET_DIR="${KIOSK_FONT_SUBSET_DIR}")
  add_dependencies(estate-bench kiosk_font_subset)
endif()
add_test(NAME estate_bench_runs COMMAND estate-bench)

# console-bench: the head-office console's pages over loopback, signed in (console_empty_page_ms).
add_executable(console-bench console_bench.cpp)
target_link_libraries(console-bench PRIVATE headoffice_console headoffice PkgConfig::HTTPLIB spdlog::spdlog)
target_compile_definitions(console-bench PRIVATE KIOSK_DEMO_SITE="${DEMO_SITE}")

# push-profile: head office's CPU and instructions for one 1000-record push (the drain's batch),
# over loopback in-process; run it under callgrind for the instruction counts (see its header).
add_executable(push-profile push_profile.cpp)
target_link_libraries(push-profile PRIVATE headoffice PkgConfig::HTTPLIB)
