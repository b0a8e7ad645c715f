// The tokens file loader (common/rpc/token_auth.h TokenAuthenticator::Load)
// on a hostile file (mode 0600, as the loader requires). A loaded file's
// authenticator must answer a token look-up (the input's first line taken
// as a token) with a principal or UNAUTHENTICATED.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/rpc/token_auth.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string path = fuzz::WriteScratch("tokens", bytes, 0600);
  auto tokens = rpc::TokenAuthenticator::Load(path);
  if (tokens.ok()) {
    (void)(*tokens)->PrincipalOfToken(
        std::string(bytes.substr(0, bytes.find('\n'))));
  }
  return 0;
}
