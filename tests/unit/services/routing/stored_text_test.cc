// Issue 22 item 2: no request to routing can put bytes into a
// RoutingCaseRecord (or its history, inbox entry or matter) that protobuf
// would write but never parse back. Every string field of each request
// routing serves is given invalid UTF-8: over gRPC the request does not
// parse; in process, the service's own check (request_bounds.h, run by
// each handler before anything else) refuses it with INVALID_ARGUMENT
// naming the field. Valid but odd text (emoji, NUL) passes the check.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/text/utf8.h"
#include "gtest/gtest.h"
#include "services/routing/request_bounds.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::ActRequest;

struct Hostile {
  const char* what;
  std::string bytes;
};

std::vector<Hostile> InvalidTexts() {
  return {
      {"a lone 0xFF", "140431\xFF"},
      {"a cut 3-byte sequence", "不服\xE9\x94"},
      {"an overlong '/'", "\xC0\xAF"},
      {"a UTF-8-encoded surrogate", "\xED\xA0\x80"},
  };
}

std::vector<Hostile> OddTexts() {
  return {
      {"an emoji", "\xF0\x9F\x98\x80"},
      {"a NUL", std::string("a\0b", 3)},
  };
}

// One string field of a request: its path, how to set it, and the
// handler's check.
struct TextField {
  const char* path;
  std::function<absl::Status(const std::string&)> check;
};

std::vector<TextField> TextFields() {
  const RequestBounds b;
  using S = const std::string;
  auto act = [b](std::function<void(ActRequest&, S&)> set) {
    return [b, set](S& t) {
      ActRequest req;
      req.set_case_id("140431-20261122-000001");
      set(req, t);
      if (!text::IsValidUtf8(t)) {  // gRPC would not even parse it
        ActRequest wire;
        EXPECT_FALSE(wire.ParseFromString(req.SerializeAsString()));
      }
      return CheckAct(req, b);
    };
  };
  auto matter = [b](std::function<void(caserelay::v1::Matter&, S&)> set) {
    return [b, set](S& t) {
      caserelay::v1::PreviewRouteRequest req;
      set(*req.mutable_matter(), t);
      return CheckPreviewRoute(req, b);
    };
  };
  return {
      {"case_id",
       [b](S& t) {
         caserelay::v1::GetCaseRequest req;
         req.set_case_id(t);
         return CheckGetCase(req, b);
       }},
      {"office_code",
       [b](S& t) {
         caserelay::v1::ListInboxRequest req;
         req.set_office_code(t);
         return CheckListInbox(req, b);
       }},
      {"page_token",
       [b](S& t) {
         caserelay::v1::ListInboxRequest req;
         req.set_page_token(t);
         return CheckListInbox(req, b);
       }},
      {"case_id", act([](ActRequest& r, S& t) { r.set_case_id(t); })},
      {"operator", act([](ActRequest& r, S& t) { r.set_operator_(t); })},
      {"reason", act([](ActRequest& r, S& t) { r.set_reason(t); })},
      {"transfer.office_code", act([](ActRequest& r, S& t) {
         r.mutable_transfer()->set_office_code(t);
       })},
      {"assign.office_code", act([](ActRequest& r, S& t) {
         r.mutable_assign()->set_office_code(t);
       })},
      {"decline.route",
       act([](ActRequest& r, S& t) { r.mutable_decline()->set_route(t); })},
      {"reply_supervision.supervision_id", act([](ActRequest& r, S& t) {
         r.mutable_reply_supervision()->set_supervision_id(t);
       })},
      {"identity_key",
       [b](S& t) {
         caserelay::v1::PreviewRouteRequest req;
         req.set_identity_key(t);
         return CheckPreviewRoute(req, b);
       }},
      {"matter.region_code",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_region_code(t); })},
      {"matter.category",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_category(t); })},
      {"matter.lodged_with",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_lodged_with(t); })},
      {"matter.title",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_title(t); })},
      {"matter.accused",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_accused(t); })},
      {"matter.text",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_text(t); })},
      {"matter.accused_offices[0]", matter([](caserelay::v1::Matter& m, S& t) {
         m.add_accused_offices(t);
       })},
      {"matter.other_regions[0]",
       matter([](caserelay::v1::Matter& m, S& t) { m.add_other_regions(t); })},
      {"matter.other_categories[0]", matter([](caserelay::v1::Matter& m, S& t) {
         m.add_other_categories(t);
       })},
  };
}

TEST(RoutingStoredTextTest, InvalidUtf8InAnyRequestFieldIsRefusedByName) {
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : InvalidTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      absl::Status s = f.check(h.bytes);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_TRUE(absl::StartsWith(s.message(), absl::StrCat(f.path, ": ")))
          << s.message();
      EXPECT_TRUE(absl::StrContains(s.message(), "not valid UTF-8")) << s;
    }
  }
}

TEST(RoutingStoredTextTest, OddValidTextPassesTheCheck) {
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : OddTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      EXPECT_EQ(f.check(h.bytes).code(), absl::StatusCode::kOk);
    }
  }
}

TEST(RoutingStoredTextTest, InvalidUtf8InAConsumedEventDoesNotParse) {
  // routing's inputs (PetitionReceived, SupervisionIssued) come off Kafka
  // through Envelope::ParseFromString; such a record is a dead letter and
  // never reaches Apply.
  for (const Hostile& h : InvalidTexts()) {
    SCOPED_TRACE(h.what);
    caserelay::v1::Envelope e;
    e.mutable_petition_received()->mutable_matter()->set_text(h.bytes);
    caserelay::v1::Envelope back;
    EXPECT_FALSE(back.ParseFromString(e.SerializeAsString()));
    caserelay::v1::Envelope s;
    s.mutable_supervision_issued()->set_supervision_id(h.bytes);
    EXPECT_FALSE(back.ParseFromString(s.SerializeAsString()));
  }
}

}  // namespace
}  // namespace caserelay::routing
