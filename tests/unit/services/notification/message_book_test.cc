// MessageBook's group commit (message_book.h, issue 20 item 2): Updates
// that wait while another group commits are applied together, in order,
// on one batch, each reading what the changes before it left; none is
// lost, and one change's error touches no other.

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/unit/services/notification/service_fixture.h"

namespace caserelay::notification {
namespace {

using caserelay::v1::SmsRecord;

// A change that counts one more try; the count it saw is kept.
MessageBook::ChangeFn CountTry(int* seen) {
  return [seen](SmsRecord& r) -> absl::StatusOr<Change> {
    r.mutable_message()->set_attempts(r.message().attempts() + 1);
    *seen = r.message().attempts();
    return Change{};
  };
}

TEST_F(NotificationServiceTest, ConcurrentUpdatesOfOneMessageLoseNone) {
  // message_book.h: every read-modify-write goes through the book, so
  // concurrent ones (the window's workers, delivery reports) never
  // overwrite each other, grouped or not.
  caserelay::v1::Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  constexpr int kThreads = 8, kEach = 50;
  absl::Mutex mu;
  std::set<int> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        int saw = 0;
        auto r = book_->Update(id, CountTry(&saw));
        ASSERT_TRUE(r.ok()) << r.status();
        EXPECT_EQ(r->message().attempts(), saw);
        absl::MutexLock lock(&mu);
        seen.insert(saw);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Message(id).message().attempts(), kThreads * kEach);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kEach))
      << "each try counted once, on what the one before left";
}

// Three Updates: the first holds the book (its change waits for
// `release`) while the other two queue behind it; they then go as one
// group, led by one of them. Returns the threads their changes ran on.
struct Grouped {
  std::thread::id second, third;
  absl::StatusOr<SmsRecord> second_result = absl::UnknownError("");
  absl::StatusOr<SmsRecord> third_result = absl::UnknownError("");
};

Grouped RunBehindABlockedUpdate(MessageBook& book, const std::string& id,
                                const MessageBook::ChangeFn& second,
                                const MessageBook::ChangeFn& third) {
  absl::Notification entered, release;
  Grouped g;
  std::thread first([&] {
    auto r = book.Update(id, [&](SmsRecord&) -> absl::StatusOr<Change> {
      entered.Notify();
      release.WaitForNotification();
      return Change{};
    });
    EXPECT_TRUE(r.ok()) << r.status();
  });
  entered.WaitForNotification();
  std::thread b([&] {
    g.second_result = book.Update(id, [&](SmsRecord& r) {
      g.second = std::this_thread::get_id();
      return second(r);
    });
  });
  std::thread c([&] {
    g.third_result = book.Update(id, [&](SmsRecord& r) {
      g.third = std::this_thread::get_id();
      return third(r);
    });
  });
  // Both are waiting behind the first by now.
  absl::SleepFor(absl::Milliseconds(300));
  release.Notify();
  first.join();
  b.join();
  c.join();
  return g;
}

TEST_F(NotificationServiceTest, UpdatesWaitingBehindACommitGoAsOneGroup) {
  // message_book.h "Group commit": the waiting Updates are applied by
  // one of them, in order, on one batch.
  caserelay::v1::Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  int second_saw = 0, third_saw = 0;
  Grouped g = RunBehindABlockedUpdate(*book_, id, CountTry(&second_saw),
                                      CountTry(&third_saw));
  ASSERT_TRUE(g.second_result.ok()) << g.second_result.status();
  ASSERT_TRUE(g.third_result.ok()) << g.third_result.status();
  EXPECT_EQ(g.second, g.third) << "one group, applied by its leader";
  EXPECT_EQ(std::set<int>({second_saw, third_saw}), std::set<int>({1, 2}));
  EXPECT_EQ(Message(id).message().attempts(), 2);
}

TEST_F(NotificationServiceTest, AChangeFailingInAGroupLeavesTheOthersApplied) {
  // message_book.h Update: a change's error writes nothing of it; the
  // rest of its group is committed.
  caserelay::v1::Envelope routed = RegisterFor(kCase);
  ApplyAndCommit(routed);
  const std::string id = routed.event_id() + "/sms";
  int third_saw = 0;
  Grouped g = RunBehindABlockedUpdate(
      *book_, id,
      [](SmsRecord& r) -> absl::StatusOr<Change> {
        r.mutable_message()->set_attempts(99);  // never written
        return absl::FailedPreconditionError("not in this state");
      },
      CountTry(&third_saw));
  EXPECT_EQ(g.second_result.status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(g.third_result.ok()) << g.third_result.status();
  EXPECT_EQ(Message(id).message().attempts(), 1);
  EXPECT_EQ(third_saw, 1);
}

}  // namespace
}  // namespace caserelay::notification
