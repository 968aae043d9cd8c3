# The packages' version, computed when cpack runs (CPACK_PROJECT_CONFIG_FILE), from one place:
# the project's VERSION in CMakeLists.txt (X.Y.Z) and git.
#
#   HEAD is the tag vX.Y.Z, clean          X.Y.Z
#   N commits after the tag vX.Y.Z         X.Y.Z+N.g<hash>     (after the release: sorts above it)
#   no tag vX.Y.Z yet                      X.Y.Z~N.g<hash>     N = all commits to HEAD (before the
#                                                              release: sorts below it)
#   uncommitted changes                    the above + .dirty
#   no git (a source tarball)              X.Y.Z
#
# N grows with every commit, so dpkg sorts a later commit's package above an earlier one's and
# apt upgrades to it (the hash only tells builds of the same N apart). A shallow clone counts
# fewer commits: build packages from a full clone. LOBBY_PACKAGE_VERSION in the environment
# overrides all of this (a test that needs a "newer" package of the same tree).
set(_base "${CPACK_LOBBY_BASE_VERSION}")
set(_version "${_base}")
if(DEFINED ENV{LOBBY_PACKAGE_VERSION} AND NOT "$ENV{LOBBY_PACKAGE_VERSION}" STREQUAL "")
  set(_version "$ENV{LOBBY_PACKAGE_VERSION}")
else()
  find_program(_git git)
  if(_git)
    execute_process(COMMAND "${_git}" -C "${CPACK_LOBBY_SOURCE_DIR}" rev-parse --short=8 HEAD
                    OUTPUT_VARIABLE _hash OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc ERROR_QUIET)
    if(_rc EQUAL 0 AND _hash)
      execute_process(COMMAND "${_git}" -C "${CPACK_LOBBY_SOURCE_DIR}" rev-parse -q --verify "refs/tags/v${_base}"
                      RESULT_VARIABLE _no_tag OUTPUT_QUIET ERROR_QUIET)
      if(_no_tag EQUAL 0)
        execute_process(COMMAND "${_git}" -C "${CPACK_LOBBY_SOURCE_DIR}" rev-list --count "v${_base}..HEAD"
                        OUTPUT_VARIABLE _n OUTPUT_STRIP_TRAILING_WHITESPACE)
        set(_sep "+")
      else()
        execute_process(COMMAND "${_git}" -C "${CPACK_LOBBY_SOURCE_DIR}" rev-list --count HEAD
                        OUTPUT_VARIABLE _n OUTPUT_STRIP_TRAILING_WHITESPACE)
        set(_sep "~")
      endif()
      execute_process(COMMAND "${_git}" -C "${CPACK_LOBBY_SOURCE_DIR}" status --porcelain --untracked-files=no
                      OUTPUT_VARIABLE _changes OUTPUT_STRIP_TRAILING_WHITESPACE)
      set(_dirty "")
      if(_changes)
        set(_dirty ".dirty")
      endif()
      if(_sep STREQUAL "+" AND _n EQUAL 0 AND NOT _dirty)
        set(_version "${_base}")
      else()
        set(_version "${_base}${_sep}${_n}.g${_hash}${_dirty}")
      endif()
    endif()
  endif()
endif()
set(CPACK_PACKAGE_VERSION "${_version}")
set(CPACK_DEBIAN_PACKAGE_VERSION "${_version}")
