# The head-office console in a real browser (issue #16): Debian's Chromium through Selenium
# (chromium, chromium-driver, python3-selenium: packaging/install-deps.sh) against the real
# `lobby-headoffice serve`. Debian's own python3, which has the selenium package, not whichever
# python3 comes first on PATH. Pictures go to build/captures/console-*.png, and the real kiosk's
# (lobby-kiosk under xvfb-run, synced once with the same head office) to kiosk-*.png.
add_test(NAME console_browser
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/console/test_console.py $<TARGET_FILE:lobby-headoffice>
                 ${DEMO_SITE} ${CMAKE_BINARY_DIR}/captures $<TARGET_FILE:lobby-kiosk>)
set_tests_properties(console_browser PROPERTIES LABELS "console;browser" TIMEOUT 300)
