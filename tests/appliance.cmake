# The installed programs (issue #15): configuration files, sd_notify and the watchdog, and an older
# binary on a newer store.
add_executable(test_config test_config.cpp $<TARGET_OBJECTS:test_main>)
target_link_libraries(test_config PRIVATE lobby_config lobby_service Catch2::Catch2)
catch_discover_tests(test_config EXTRA_ARGS --warn NoTests)

# The real binaries, with a unix datagram socket as systemd's NOTIFY_SOCKET and an Xvfb of its own
# (on a free display from :200 on) for the kiosk.
add_executable(test_appliance test_appliance.cpp $<TARGET_OBJECTS:test_main>)
target_link_libraries(test_appliance PRIVATE headoffice kiosk_ui kiosk_platform Catch2::Catch2 PkgConfig::HTTPLIB)
target_compile_definitions(test_appliance PRIVATE ${KIOSK_TEST_DEFS} LOBBY_HEADOFFICE="$<TARGET_FILE:lobby-headoffice>"
                           KIOSK_BIN="$<TARGET_FILE:lobby-kiosk>" PACKAGING_ETC="${CMAKE_SOURCE_DIR}/packaging/etc")
add_dependencies(test_appliance lobby-headoffice lobby-kiosk)
catch_discover_tests(test_appliance EXTRA_ARGS --warn NoTests)
