# The Debian packages (issue #15 item 1): lobby-kiosk and lobby-headoffice, one CPack DEB
# component each, built by `packaging/dev.sh package` into build/packages/.
#
# Version: CMake's project VERSION plus git describe, computed by cpack when it runs (version.cmake,
# loaded as CPACK_PROJECT_CONFIG_FILE), so a package built after a commit carries that commit
# without configuring again. The rule is written out in version.cmake.
#
# Dependencies: dpkg-shlibdeps on each binary, plus what the binaries open at run time that no
# linker sees (the lists below, each with why).

set(LOBBY_PKG_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(LOBBY_PKG_MAINTAINER "Lobby kiosk maintainers <maintainers@users.noreply.h-seed-a7e2672c.example>")
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# ---- lobby-kiosk ---------------------------------------------------------------------------------
install(TARGETS lobby-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
# KIOSK_INSTALLED_DATA_DIR (/usr/share/lobby-kiosk): what the kiosk reads when the source tree's
# assets are absent (platform::default_assets_dir / default_font_subset_dir).
install(DIRECTORY "${KIOSK_ASSETS_DIR}/i18n" "${KIOSK_ASSETS_DIR}/demo"
        DESTINATION "${KIOSK_INSTALLED_DATA_DIR}" COMPONENT kiosk
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES "${KIOSK_ASSETS_DIR}/fonts.txt" "${KIOSK_ASSETS_DIR}/hanzi_common.txt"
        DESTINATION "${KIOSK_INSTALLED_DATA_DIR}" COMPONENT kiosk)
if(KIOSK_HAVE_FONT_SUBSET)
  install(FILES "${KIOSK_FONT_SUBSET_DIR}/kiosk-cjk.ttf" "${KIOSK_FONT_SUBSET_DIR}/kiosk-typing.txt"
          DESTINATION "${KIOSK_INSTALLED_DATA_DIR}/fonts" COMPONENT kiosk)
endif()
install(FILES "${LOBBY_PKG_DIR}/etc/lobby-kiosk/kiosk.toml" DESTINATION /etc/lobby-kiosk COMPONENT kiosk)
install(FILES "${LOBBY_PKG_DIR}/systemd/lobby-kiosk.service" DESTINATION /lib/systemd/system COMPONENT kiosk)
install(FILES "${LOBBY_PKG_DIR}/systemd/logind-lobby-kiosk.conf" DESTINATION /usr/lib/systemd/logind.conf.d
        RENAME lobby-kiosk.conf COMPONENT kiosk)

# Both programs resolve their symbols at start (BIND_NOW, full RELRO), as Debian's hardening does.
target_link_options(lobby-kiosk PRIVATE -Wl,-z,relro,-z,now)

# ---- lobby-headoffice ----------------------------------------------------------------------------
install(TARGETS lobby-headoffice RUNTIME DESTINATION bin COMPONENT headoffice)
target_link_options(lobby-headoffice PRIVATE -Wl,-z,relro,-z,now)
install(FILES "${LOBBY_PKG_DIR}/etc/lobby-headoffice/headoffice.toml" DESTINATION /etc/lobby-headoffice
        COMPONENT headoffice)
install(FILES "${LOBBY_PKG_DIR}/systemd/lobby-headoffice.service" DESTINATION /lib/systemd/system
        COMPONENT headoffice)

# ---- both: copyright, changelog (lintian requires them), the manual page ------------------------
foreach(_comp kiosk headoffice)
  set(_pkg lobby-${_comp})
  install(FILES "${LOBBY_PKG_DIR}/debian/${_pkg}/copyright" DESTINATION share/doc/${_pkg} COMPONENT ${_comp})
  # A native package's changelog (its version has no Debian revision), compressed with gzip -n (no
  # name or time inside: reproducible).
  set(_gz "${CMAKE_BINARY_DIR}/packaging/${_pkg}/changelog.gz")
  set(_man "${CMAKE_BINARY_DIR}/packaging/${_pkg}/${_pkg}.1.gz")
  add_custom_command(OUTPUT "${_gz}" "${_man}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/packaging/${_pkg}"
    COMMAND sh -c "gzip -9n < '${LOBBY_PKG_DIR}/debian/${_pkg}/changelog' > '${_gz}'"
    COMMAND sh -c "gzip -9n < '${LOBBY_PKG_DIR}/debian/${_pkg}/${_pkg}.1' > '${_man}'"
    DEPENDS "${LOBBY_PKG_DIR}/debian/${_pkg}/changelog" "${LOBBY_PKG_DIR}/debian/${_pkg}/${_pkg}.1"
    VERBATIM)
  add_custom_target(${_pkg}_docs ALL DEPENDS "${_gz}" "${_man}")
  install(FILES "${_gz}" DESTINATION share/doc/${_pkg} COMPONENT ${_comp})
  install(FILES "${_man}" DESTINATION share/man/man1 COMPONENT ${_comp})
endforeach()

# ---- CPack ---------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
# cpack installs the build as it is: `packaging/dev.sh package` and ctest build first, and a cpack
# that built every test program itself would take minutes on two cores.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME lobby)
set(CPACK_PACKAGE_VENDOR "Lobby kiosk maintainers")
set(CPACK_PACKAGE_CONTACT "${LOBBY_PKG_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")   # refined by version.cmake at cpack time
set(CPACK_PROJECT_CONFIG_FILE "${LOBBY_PKG_DIR}/version.cmake")
set(CPACK_LOBBY_SOURCE_DIR "${CMAKE_SOURCE_DIR}")    # read by version.cmake (git there)
set(CPACK_LOBBY_BASE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk headoffice)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)            # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LOBBY_PKG_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_THREADS 2)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME lobby-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION misc)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "lobby touchscreen kiosk of a residential property-service desk
The kiosk residents use in the lobby: parcels, repairs, complaints, fees and
notices in Chinese and English, with a slip printer. It boots straight into
the kiosk: lobby-kiosk.service runs it fullscreen under the cage Wayland
compositor as the unprivileged user lobby; records wait in a local SQLite
outbox (/var/lib/lobby-kiosk) until the head office takes them.")
# What the kiosk needs at run time that dpkg-shlibdeps cannot see:
#  cage, seatd        the kiosk compositor and the seat daemon it opens the screen and input through
#  xwayland           the kiosk is GLFW's X11 build (Debian's libglfw3), shown by cage's XWayland
#  libgl1-mesa-dri    Mesa's drivers (llvmpipe where there is no GPU), loaded by libGL
#  libegl1, libegl-mesa0  GLFW's EGL context (less start-up CPU than GLX on llvmpipe); dlopen()ed
#  fonts-…            the full CJK face slips are printed with and the UI falls back to (fonts.txt)
#  libespeak-ng1, espeak-ng-data, libpcaudio0   elder mode's read-aloud, dlopen()ed (speech.cpp)
#  libopencc-data     zh-TW's conversion tables, opened from /usr/share/opencc
#  adduser            the maintainer scripts create the user lobby
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "adduser, cage, seatd, xwayland, libgl1-mesa-dri, libegl1, libegl-mesa0, fonts-wqy-microhei | fonts-noto-cjk, libespeak-ng1, espeak-ng-data, libpcaudio0, libopencc-data")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${LOBBY_PKG_DIR}/debian/lobby-kiosk/conffiles;${LOBBY_PKG_DIR}/debian/lobby-kiosk/postinst;${LOBBY_PKG_DIR}/debian/lobby-kiosk/prerm;${LOBBY_PKG_DIR}/debian/lobby-kiosk/postrm")

set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_NAME lobby-headoffice)
set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_SECTION net)
set(CPACK_COMPONENT_HEADOFFICE_DESCRIPTION "head-office server for the lobby kiosks
lobby-headoffice takes the records the lobby kiosks file (repairs, complaints,
parcels and the rest), hands each kiosk its site's data, enrols new kiosks and
keeps the fleet's state. Its store is SQLite (/var/lib/lobby-headoffice) or
PostgreSQL; lobby-headoffice.service runs it as the user lobby-headoffice.")
# libjs-bootstrap5, libjs-chart.js: the console's web assets, served from where they install.
set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_DEPENDS "adduser, libjs-bootstrap5, libjs-chart.js")
# fonts-wqy-microhei | fonts-noto-cjk: the caption of the setup slip add-kiosk --slip draws (the
# site, the kiosk, where to scan it, in English and Chinese), the faces sync/server/setup_slip.cpp
# looks for first. Recommended, not required: a server without either still writes the slip, as
# the QR code alone (DejaVu, when installed, draws the English lines).
set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_RECOMMENDS "fonts-wqy-microhei | fonts-noto-cjk")
set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_HEADOFFICE_PACKAGE_CONTROL_EXTRA
    "${LOBBY_PKG_DIR}/debian/lobby-headoffice/conffiles;${LOBBY_PKG_DIR}/debian/lobby-headoffice/postinst;${LOBBY_PKG_DIR}/debian/lobby-headoffice/prerm;${LOBBY_PKG_DIR}/debian/lobby-headoffice/postrm")

include(CPack)
