// Passwords (口令) of the console's users: hashed with libsodium's argon2id
// (crypto_pwhash_str, a memory-hard function; issue 16 item 1) and the
// policy a new password must meet. The stored string carries the
// algorithm, its cost and a random salt, so a hash made under other costs
// still verifies.
//
// Thread safety: stateless functions (libsodium is initialised once,
// thread-safely, by the first call).

#ifndef CASERELAY_SERVICES_ACCOUNTS_PASSWORD_H_
#define CASERELAY_SERVICES_ACCOUNTS_PASSWORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace caserelay::accounts {

// argon2id's cost: passes over memory and memory in bytes
// (accounts.argon2_ops, accounts.argon2_memory). The defaults are
// libsodium's "interactive" costs (2 passes, 64 MiB).
struct HashCost {
  uint64_t ops = 2;
  size_t memory_bytes = 64u << 20;
};

// OK when libsodium accepts `cost` (ops >= 1 — libsodium's argon2id floor
// —, memory from 8 KiB to 4 GiB); else INVALID_ARGUMENT naming the
// setting.
absl::Status CheckHashCost(const HashCost& cost);

// The argon2id string of `password` with a fresh random salt.
// RESOURCE_EXHAUSTED when libsodium cannot get the memory; INTERNAL if
// libsodium fails to start. REQUIRES: CheckHashCost(cost) is OK.
absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const HashCost& cost);

// True when `password` matches `stored` (a HashPassword string); false for
// a wrong password or a malformed `stored`. Takes as long as hashing.
bool VerifyPassword(std::string_view stored, std::string_view password);

// Burns the time of one VerifyPassword with `cost`, so that a login with an
// unknown username takes as long as one with a wrong password (the answer
// must not tell which usernames exist).
void VerifyNothing(const HashCost& cost);

// Bounds how many argon2id computations run at once: each takes
// HashCost::memory_bytes for its whole run, so unbounded parallel logins
// (of unknown usernames, say) would exhaust the memory. A caller beyond
// `max` waits for a slot (accounts.max_parallel_hashes).
//
// Thread safety: thread-safe.
class HashGate {
 public:
  // REQUIRES: max >= 1.
  explicit HashGate(int max) : max_(max) {}

  // Holds one slot from construction to destruction.
  class Slot {
   public:
    explicit Slot(HashGate* gate);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    HashGate* const gate_;
  };

 private:
  const int max_;
  absl::Mutex mu_;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
};

// The policy for a new password of `username` (密码规则), in Chinese words
// for the person: INVALID_ARGUMENT "密码至少10个字符" when shorter than
// kMinPasswordChars characters, "密码不能超过128个字节" when longer than
// kMaxPasswordBytes bytes, "密码不能与用户名相同" when it equals the
// username (ignoring ASCII case), "密码含有无效字符" when not valid UTF-8 or
// it holds a control character.
inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 128;
absl::Status CheckPasswordPolicy(std::string_view username,
                                 std::string_view password);

}  // namespace caserelay::accounts

#endif  // CASERELAY_SERVICES_ACCOUNTS_PASSWORD_H_
