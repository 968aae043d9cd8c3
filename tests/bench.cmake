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
