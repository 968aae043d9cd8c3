# Durability under SIGKILL: test_durability spawns durability-writer, kills it at random moments
# and checks that every save it acknowledged is in the store exactly once, still in the outbox.
add_executable(durability-writer ${CMAKE_CURRENT_SOURCE_DIR}/durability_writer.cpp)
target_link_libraries(durability-writer PRIVATE kiosk_store)

add_executable(test_durability ${CMAKE_CURRENT_SOURCE_DIR}/test_durability.cpp)
target_link_libraries(test_durability PRIVATE test_main kiosk_store)
target_compile_definitions(test_durability PRIVATE DURABILITY_WRITER="$<TARGET_FILE:durability-writer>")
add_dependencies(test_durability durability-writer)

add_test(NAME durability COMMAND test_durability)
set_tests_properties(durability PROPERTIES TIMEOUT 300)
