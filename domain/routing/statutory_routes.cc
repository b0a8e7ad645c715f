#include "domain/routing/statutory_routes.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "domain/offices/tsv.h"
#include "domain/routing/rules.h"

namespace caserelay::routing {
namespace {

constexpr char kEnumPrefix[] = "STATUTORY_ROUTE_";
constexpr char kOfficePlaceholder[] = "{office}";
constexpr char kFullStop[] = "。";

// The rules that turn a petition away and so have a text.
constexpr const char* kRuleKeys[] = {kRuleRefusedTerminated,
                                     kRuleInProgressBelow, kRuleRepeatPetition,
                                     kRuleLevelSkippingVisit};

// Every key the file must hold.
std::set<std::string> RequiredKeys() {
  std::set<std::string> keys(std::begin(kRuleKeys), std::end(kRuleKeys));
  const auto* descriptor = caserelay::v1::StatutoryRoute_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    std::string key =
        StatutoryRoutes::KeyOf(static_cast<caserelay::v1::StatutoryRoute>(
            descriptor->value(i)->number()));
    if (!key.empty()) keys.insert(std::move(key));
  }
  return keys;
}

bool EndsWith(const std::string& text, std::string_view ending) {
  return text.size() >= ending.size() &&
         std::string_view(text).substr(text.size() - ending.size()) == ending;
}

}  // namespace

std::string StatutoryRoutes::KeyOf(caserelay::v1::StatutoryRoute route) {
  if (route == caserelay::v1::STATUTORY_ROUTE_NONE ||
      !caserelay::v1::StatutoryRoute_IsValid(route)) {
    return "";
  }
  std::string key = caserelay::v1::StatutoryRoute_Name(route);
  if (key.rfind(kEnumPrefix, 0) == 0) key.erase(0, sizeof(kEnumPrefix) - 1);
  absl::AsciiStrToLower(&key);
  for (char& c : key) {
    if (c == '_') c = '-';
  }
  return key;
}

absl::StatusOr<std::unique_ptr<StatutoryRoutes>> StatutoryRoutes::Load(
    const std::string& path) {
  absl::StatusOr<std::vector<offices::TsvRow>> rows =
      offices::ReadTsv(path, 2, "key, text");
  if (!rows.ok()) return rows.status();
  const std::set<std::string> required = RequiredKeys();
  std::unique_ptr<StatutoryRoutes> routes(new StatutoryRoutes());
  for (offices::TsvRow& row : *rows) {
    const std::string& key = row.fields[0];
    if (required.count(key) == 0) {
      return offices::RowError(path, row.line,
                               absl::StrCat("unknown key \"", key, "\""));
    }
    if (EndsWith(row.fields[1], kFullStop)) {
      return offices::RowError(
          path, row.line,
          absl::StrCat("the text of ", key, " ends with 。; leave it out"));
    }
    if (!routes->texts_.emplace(key, std::move(row.fields[1])).second) {
      return offices::RowError(path, row.line,
                               absl::StrCat("duplicate key ", key));
    }
  }
  for (const std::string& key : required) {
    if (routes->texts_.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no row for key ", key));
    }
  }
  return routes;
}

std::string StatutoryRoutes::For(caserelay::v1::StatutoryRoute route) const {
  auto it = texts_.find(KeyOf(route));
  return it == texts_.end() ? std::string() : it->second;
}

std::string StatutoryRoutes::ForRule(std::string_view rule,
                                     std::string_view office_name) const {
  bool is_rule = false;
  for (const char* key : kRuleKeys) is_rule = is_rule || rule == key;
  if (!is_rule) return "";  // a statutory route's key is not a rule
  auto it = texts_.find(rule);
  if (it == texts_.end()) return "";
  return absl::StrReplaceAll(
      it->second,
      {{kOfficePlaceholder,
        absl::string_view(office_name.data(), office_name.size())}});
}

}  // namespace caserelay::routing
