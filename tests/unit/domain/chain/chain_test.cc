#include "domain/chain/chain.h"

#include <string>
#include <vector>

#include "caserelay/v1/events.pb.h"
#include "common/digest/digest.h"
#include "gtest/gtest.h"

namespace caserelay::chain {
namespace {

constexpr char kCase[] = "140431-20261122-000001";

// A correctly chained history of `n` events; *head gets the head hash.
std::vector<std::string> History(int n, std::string* head) {
  std::vector<std::string> events;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    caserelay::v1::Envelope e;
    e.set_event_id(std::string(kCase) + "/" + std::to_string(i));
    e.set_case_id(kCase);
    e.set_sequence(i);
    e.set_producer("routing");
    e.set_prev_hash(prev);
    e.mutable_case_event()->set_reason("step " + std::to_string(i));
    events.push_back(e.SerializeAsString());
    prev = digest::Sha256(events.back());
  }
  *head = prev;
  return events;
}

// Changes the reason of event `seq` (1-based) and, if asked, its prev_hash.
void Alter(std::vector<std::string>& events, int seq, bool prev_hash_too) {
  caserelay::v1::Envelope e;
  ASSERT_TRUE(e.ParseFromString(events[seq - 1]));
  e.mutable_case_event()->set_reason("rewritten");
  if (prev_hash_too) e.set_prev_hash(std::string(32, 'x'));
  events[seq - 1] = e.SerializeAsString();
}

TEST(ChainTest, AnUntouchedHistoryIsIntact) {
  std::string head;
  auto events = History(6, &head);
  Verdict v = Verify(kCase, events, head);
  EXPECT_TRUE(v.intact) << v.reason;
}

TEST(ChainTest, EachAlteredEventIsNamedExactly) {
  // DOMAIN.md "Records": the history must never be rewritten; the chain
  // names the event that was. Every position, content only or with its
  // recorded link forged too.
  for (int n : {1, 2, 6}) {
    for (int seq = 1; seq <= n; ++seq) {
      for (bool forge : {false, true}) {
        std::string head;
        auto events = History(n, &head);
        Alter(events, seq, forge);
        Verdict v = Verify(kCase, events, head);
        EXPECT_FALSE(v.intact);
        EXPECT_EQ(v.altered_sequence, static_cast<uint64_t>(seq))
            << "n=" << n << " seq=" << seq << " forge=" << forge << ": "
            << v.reason;
      }
    }
  }
}

TEST(ChainTest, AMissingEventIsReportedWithoutBlamingOne) {
  std::string head;
  auto events = History(4, &head);
  events.erase(events.begin() + 1);
  Verdict v = Verify(kCase, events, head);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.altered_sequence, 0u);
  EXPECT_NE(v.reason.find("missing"), std::string::npos) << v.reason;
}

TEST(ChainTest, AnEventOfAnotherCaseIsNamed) {
  std::string head;
  auto events = History(3, &head);
  caserelay::v1::Envelope e;
  ASSERT_TRUE(e.ParseFromString(events[2]));
  e.set_case_id("140431-20261122-000002");
  events[2] = e.SerializeAsString();
  Verdict v = Verify(kCase, events, head);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.altered_sequence, 3u);
}

TEST(ChainTest, GarbageBytesAreNamed) {
  std::string head;
  auto events = History(3, &head);
  events[1] = std::string("\xff\xff\xff\xff", 4);
  Verdict v = Verify(kCase, events, head);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.altered_sequence, 2u);
}

}  // namespace
}  // namespace caserelay::chain
