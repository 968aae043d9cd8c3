# Hostile clients against the real lobby-headoffice serve (a child process on loopback): huge
# heads, endless chunked bodies, deep JSON, slow connections, wrong JSON types.
add_executable(test_hostile ${CMAKE_CURRENT_SOURCE_DIR}/hostile/test_hostile.cpp $<TARGET_OBJECTS:test_main>)
target_link_libraries(test_hostile PRIVATE sync_protocol nlohmann_json::nlohmann_json Catch2::Catch2 OpenSSL::SSL PkgConfig::HTTPLIB)
target_include_directories(test_hostile PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(test_hostile PRIVATE ${KIOSK_TEST_DEFS} LOBBY_HEADOFFICE="$<TARGET_FILE:lobby-headoffice>")
add_dependencies(test_hostile lobby-headoffice)
catch_discover_tests(test_hostile EXTRA_ARGS --warn NoTests)
