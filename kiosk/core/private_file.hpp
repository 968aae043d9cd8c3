#pragma once
// Files that hold secrets or residents' data are readable by their owner only (0600), whatever
// the umask: the kiosk's database and secret, head office's SQLite store and notification file.
#include <filesystem>
#include <string>
#include <string_view>

namespace kiosk {

// Creates `path` if missing and makes it 0600; an SQLite database's -wal, -shm and -journal
// beside it are narrowed too (SQLite gives the ones it creates later the database file's mode).
// Throws std::runtime_error when the file cannot be created or narrowed.
void make_private_file(const std::filesystem::path& path);

// Whether an SQLite location names a file on disk (not ":memory:", not a "file:" URI).
bool is_plain_file_path(const std::filesystem::path& path);

// Opens `path` for appending (created 0600, narrowed if it existed); a file descriptor, or -1
// with errno set.
int open_private_append(const std::filesystem::path& path);

// Writes all of `data` to `fd`, again after an interrupted or short write. False with errno set.
bool write_all(int fd, std::string_view data);

// Makes `path` a new file (never one that exists: O_EXCL), 0600, holding `data`, on disk (the file
// and its directory fsynced) when this returns "". Otherwise what failed, and no file is left.
std::string write_new_private_file(const std::filesystem::path& path, std::string_view data);

}  // namespace kiosk
