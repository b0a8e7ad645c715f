#include "services/supervision/keys.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/store/store.h"

namespace caserelay::supervision {
namespace {

constexpr size_t kTimeSize = 8;

absl::Time FromBytes(std::string_view bytes) {
  return absl::FromUnixMicros(
      static_cast<int64_t>(store::DecodeUint64(bytes.substr(0, kTimeSize))));
}

}  // namespace

std::string TimeBytes(absl::Time t) {
  int64_t micros = absl::ToUnixMicros(t);
  return store::EncodeUint64(micros < 0 ? 0 : static_cast<uint64_t>(micros));
}

std::string TimerKey(absl::Time at, TimerKind kind,
                     std::string_view deadline_id) {
  std::string key = TimeBytes(at);
  key.push_back(static_cast<char>(kind));
  key.append(deadline_id);
  return key;
}

std::optional<ParsedTimer> ParseTimerKey(std::string_view key) {
  if (key.size() <= kTimeSize + 1) return std::nullopt;
  char kind = key[kTimeSize];
  if (kind != static_cast<char>(TimerKind::kWarning) &&
      kind != static_cast<char>(TimerKind::kMiss)) {
    return std::nullopt;
  }
  return ParsedTimer{FromBytes(key), static_cast<TimerKind>(kind),
                     std::string(key.substr(kTimeSize + 1))};
}

std::string LightKey(absl::Time due, std::string_view deadline_id) {
  return absl::StrCat(TimeBytes(due), std::string(deadline_id));
}

std::optional<ParsedLight> ParseLightKey(std::string_view key) {
  if (key.size() <= kTimeSize) return std::nullopt;
  return ParsedLight{FromBytes(key), std::string(key.substr(kTimeSize))};
}

}  // namespace caserelay::supervision
