// Structured one-line logs (日志) on stderr, and the masking of personal data
// (个人信息, protected by the 个人信息保护法; DESIGN.md "Security": logs mask
// personal data).
//
// A line looks like
//   ts=2026-11-22T00:42:19.123Z level=info service=intake msg="petition
//   accepted" case=140431-20261122-000001 phone=138****5678
// (one line; wrapped here). Keys are bare; a value is written bare unless it
// is empty or holds a space, '=', '"', '\' or a control character, in which
// case it is double-quoted with '"' and '\' escaped and control characters
// written as \n, \r, \t or \xNN, so one call always yields exactly one line.
//
// Masking is the caller's job for names (they cannot be recognised in free
// text): pass MaskName(name). As a safety net, Info/Warn/Error run MaskText()
// over the message and every value, so a mobile number or an 18-character ID
// number that slips into a log line is masked anyway.
//
// Thread safety: every function here is thread-safe. Each log line is built
// in memory and written with a single write(2) under a process-wide mutex,
// so lines from concurrent threads never interleave.

#ifndef CASERELAY_COMMON_LOG_LOG_H_
#define CASERELAY_COMMON_LOG_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace caserelay::log {

// One key=value pair of a log line. `key` should be a short lowercase word
// ([a-z0-9_.-]); other characters are replaced by '_' on output.
struct Field {
  std::string key;
  std::string value;
};

// Levels, least severe first. kDebug is per-item detail an operator turns
// on while looking into something (e.g. one line per fired timer); the
// default minimum level is kInfo, which writes no debug line.
enum class Level { kDebug, kInfo, kWarn, kError };

// The setting that names the minimum level (services declare it: the
// value is one of debug, info, warn, error; default info).
inline constexpr char kLevelSetting[] = "log.level";
inline constexpr char kLevelDefault[] = "info";

// Sets the service name written as service=<name> on every following line.
// Until called, lines carry service=unknown. Call once at start-up.
void SetService(std::string_view name);

// The level named `name` ("debug", "info", "warn", "error");
// INVALID_ARGUMENT naming the setting and the value otherwise.
absl::StatusOr<Level> ParseLevel(std::string_view name);

// Lines below `level` are not written from now on (kInfo until called).
void SetMinLevel(Level level);

// True if a line at `level` would be written. Cheap (one atomic load):
// callers building costly debug fields check it first.
bool Enabled(Level level);

// Write one line at the given level to stderr, if the level is enabled.
// The message and the values pass through MaskText(). Never fails: a
// failed write to stderr is ignored.
void Debug(std::string_view msg, std::initializer_list<Field> fields = {});
void Info(std::string_view msg, std::initializer_list<Field> fields = {});
void Warn(std::string_view msg, std::initializer_list<Field> fields = {});
void Error(std::string_view msg, std::initializer_list<Field> fields = {});

// Builds the line that Info/Warn/Error would write at time `now`, including
// the trailing '\n', with `msg` and the values passed through MaskText().
// Pure; exposed for tests and for callers that ship lines elsewhere.
std::string FormatLine(absl::Time now, Level level, std::string_view service,
                       std::string_view msg, absl::Span<const Field> fields);

// Masks a phone number for logging.
// - 11 ASCII digits (a mainland number): first 3 and last 4 kept,
//   "13812345678" -> "138****5678". A leading "+86" or "86" before those 11
//   digits is kept as is ("+8613812345678" -> "+86138****5678").
// - Anything else: every character but the last 2 becomes '*'
//   ("010-62345678" -> "**********78"); input of 4 characters or fewer is
//   masked wholly ("1234" -> "****").
// Characters are UTF-8 code points; the result has one '*' per masked one.
std::string MaskPhone(std::string_view phone);

// Masks a resident ID number (居民身份证号码, GB 11643) for logging.
// Decision: keep the 6-digit region prefix and the last 2 characters, mask
// the rest, so neither the birth date nor the full sequence number leaves
// intake: "14043119900307123X" -> "140431**********3X" (18 characters) and
// a 15-digit legacy number likewise keeps 6 + 2. The region prefix is kept
// because it is no more than the case number already shows; the last 2 let
// a clerk tell two numbers of one region apart. Any other shape: every
// character but the last 2 becomes '*'; 4 characters or fewer are masked
// wholly.
std::string MaskIdNumber(std::string_view id_number);

// Masks a personal or organisation name (姓名/名称) for logging: keeps the
// first UTF-8 code point and replaces every following one by '*':
// "张三" -> "张*", "欧阳娜娜" -> "欧***", "Li Lei" -> "L*****". A
// one-character name becomes "*"; "" stays "". Bytes that are not valid
// UTF-8 count as one code point each.
std::string MaskName(std::string_view name);

// Returns `text` with every mainland mobile number and every 18-character
// ID number found in it masked as MaskPhone / MaskIdNumber would:
// - a mobile number is 11 digits starting 13..19, not adjacent to another
//   digit, optionally preceded by "+86" or "86"; the forms 138-1234-5678
//   and 138 1234 5678 are found too (the 4 middle digits become '*');
// - an ID number is 17 digits then a digit or X/x, not adjacent to another
//   digit (no checksum check: over-masking is the safe side).
// Other digit runs (case numbers such as 140431-20261122-000001, offsets,
// timestamps) are left alone. Idempotent: MaskText(MaskText(t)) ==
// MaskText(t).
std::string MaskText(std::string_view text);

}  // namespace caserelay::log

#endif  // CASERELAY_COMMON_LOG_LOG_H_
