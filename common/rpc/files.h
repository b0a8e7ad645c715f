// Reading the small files auth needs (tokens, PEM certificates and keys),
// with errors that name the file and say what to do.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_COMMON_RPC_FILES_H_
#define CASERELAY_COMMON_RPC_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace caserelay::rpc {

enum class FileAccess {
  kAnyMode,    // any permission bits
  kOwnerOnly,  // refuse a file that group or others may read or write
};

// The whole content of the regular file `path`. Fails with:
// - NOT_FOUND / PERMISSION_DENIED: `path` is missing / not readable;
// - FAILED_PRECONDITION: not a regular file; or, for kOwnerOnly, its mode
//   has group or other bits (the message gives the mode and the chmod);
// - UNAVAILABLE: another I/O error.
// Every message starts with `path`.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          FileAccess access);

}  // namespace caserelay::rpc

#endif  // CASERELAY_COMMON_RPC_FILES_H_
