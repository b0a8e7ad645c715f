#include "services/routing/inbox_request.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/deadline_light.h"
#include "domain/petition/matter_bounds.h"

namespace caserelay::routing {
namespace {

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

absl::Status TooMany(const char* field, int max, int got) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": 最多 ", max, " 项，收到 ", got, " 项"));
}

}  // namespace

bool IsCaseNumber(std::string_view text) {
  return text.size() == 22 && text[6] == '-' && text[15] == '-' &&
         Digits(text.substr(0, 6)) && Digits(text.substr(7, 8)) &&
         Digits(text.substr(16, 6));
}

absl::Status SetInboxFilters(const caserelay::v1::ListInboxRequest& req,
                             InboxQuery* query) {
  if (req.categories_size() > kMaxInboxCategories) {
    return TooMany("categories", kMaxInboxCategories, req.categories_size());
  }
  for (const std::string& c : req.categories()) {
    if (absl::Status s = petition::CheckChars("categories", c, 64); !s.ok()) {
      return s;
    }
    query->categories.push_back(c);
  }
  if (req.channels_size() > kMaxInboxChannels) {
    return TooMany("channels", kMaxInboxChannels, req.channels_size());
  }
  for (int c : req.channels()) {
    if (!caserelay::v1::Channel_IsValid(c) ||
        c == caserelay::v1::CHANNEL_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("channels: 没有编号为 ", c, " 的信访渠道"));
    }
    query->channels.push_back(static_cast<caserelay::v1::Channel>(c));
  }
  if (req.has_received_from()) {
    query->received_from = time::FromProto(req.received_from());
  }
  if (req.has_received_to()) {
    query->received_to = time::FromProto(req.received_to());
  }
  if (query->received_from.has_value() && query->received_to.has_value() &&
      *query->received_to <= *query->received_from) {
    return absl::InvalidArgumentError(
        "received_to: 登记时间的截止时间须晚于起始时间");
  }
  if (req.case_ids_size() > kMaxInboxCaseIds) {
    return TooMany("case_ids", kMaxInboxCaseIds, req.case_ids_size());
  }
  for (const std::string& id : req.case_ids()) {
    if (absl::Status s = petition::CheckChars("case_ids", id, 64); !s.ok()) {
      return s;
    }
  }
  if (!req.case_ids().empty()) {
    query->case_ids.emplace(req.case_ids().begin(), req.case_ids().end());
  }
  if (absl::Status s = petition::CheckChars("query", req.query(),
                                            kMaxInboxQueryChars);
      !s.ok()) {
    return s;
  }
  // U+3000 (ideographic space, typed by Chinese input methods) separates
  // words like ASCII whitespace.
  const std::string spaced =
      absl::StrReplaceAll(req.query(), {{"\xE3\x80\x80", " "}});
  std::vector<std::string> words =
      absl::StrSplit(spaced, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  if (static_cast<int>(words.size()) > kMaxInboxWords) {
    return absl::InvalidArgumentError(
        absl::StrCat("query: 最多 ", kMaxInboxWords, " 个词，收到 ",
                     words.size(), " 个"));
  }
  if (words.size() == 1 && IsCaseNumber(words[0])) {
    std::vector<std::string> one;
    if (!query->case_ids.has_value() ||
        std::find(query->case_ids->begin(), query->case_ids->end(),
                  words[0]) != query->case_ids->end()) {
      one.push_back(words[0]);
    }
    query->case_ids = std::move(one);
  } else {
    query->words = std::move(words);
  }
  return absl::OkStatus();
}

void SetLights(absl::Time now, absl::Duration warning_before,
               caserelay::v1::ListInboxResponse* resp) {
  for (caserelay::v1::InboxItem& item : *resp->mutable_items()) {
    item.set_light(item.has_next_due()
                       ? lifecycle::LightOf(time::FromProto(item.next_due()),
                                            now, warning_before)
                       : caserelay::v1::DEADLINE_LIGHT_NONE);
  }
}

}  // namespace caserelay::routing
