// Issue 20 item 1: intake commits concurrent submissions together (group
// commit, services/intake/group_commit.h, "GC" below) — one WriteBatch and
// one synced write for many callers — and each caller still sees exactly
// what one mutex per submission gave: distinct case numbers in order, a
// retried request_id answered with its first case (request_ids.h), a
// refused step writing nothing.

#include "services/intake/group_commit.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "tests/unit/services/intake/intake_fixture.h"
#include "tests/unit/services/store_fixture.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::intake {
namespace {

constexpr char kFamily[] = "counters";
constexpr char kKey[] = "next";

// A step that takes the next number from the batch (as Submit takes a
// case number) and records it under "n<number>".
absl::Status TakeNumber(store::WriteBatch& batch, uint64_t* taken) {
  auto raw = batch.Get(kFamily, kKey);
  if (!raw.ok()) return raw.status();
  const uint64_t n = raw->has_value() ? store::DecodeUint64(**raw) : 1;
  batch.Put(kFamily, kKey, store::EncodeUint64(n + 1));
  batch.Put(kFamily, absl::StrCat("n", n), "");
  *taken = n;
  return absl::OkStatus();
}

class GroupCommitTest : public svctest::StoreFixture {
 protected:
  GroupCommitTest() : StoreFixture({kFamily}) {}

  uint64_t Stored(const std::string& key) {
    auto raw = t_->store().Get(kFamily, key);
    EXPECT_TRUE(raw.ok()) << raw.status();
    return raw.ok() && raw->has_value() ? store::DecodeUint64(**raw) : 0;
  }
  bool Has(const std::string& key) {
    auto raw = t_->store().Get(kFamily, key);
    return raw.ok() && raw->has_value();
  }
};

TEST_F(GroupCommitTest, ConcurrentStepsAreSerialisedAndEachCallerGetsItsOwn) {
  struct Row {
    const char* rule;
    int callers;
    int refuse_every;  // caller i is refused if i % refuse_every == 0 (0: none)
    bool finish_fails;
  };
  const Row rows[] = {
      {"GC: steps run one after another; numbers 1..N, none twice", 16, 0,
       false},
      {"GC: a refused step writes nothing and fails alone", 16, 4, false},
      {"GC: a failed finish fails every step of its group; nothing written",
       8, 0, true},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    ASSERT_NO_FATAL_FAILURE(SetUp());  // a fresh store per row
    GroupCommitOptions options;
    int finished_steps = 0;
    options.finish = [&](store::WriteBatch& batch, int steps) {
      finished_steps += steps;
      if (row.finish_fails) return absl::UnavailableError("finish failed");
      batch.Put(kFamily, "finished", store::EncodeUint64(steps));
      return absl::OkStatus();
    };
    GroupCommit group(&t_->store(), &t_->publisher(), &t_->metrics(), options);
    std::vector<absl::Status> results(row.callers);
    std::vector<uint64_t> taken(row.callers, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < row.callers; ++i) {
      threads.emplace_back([&, i] {
        results[i] = group.Run([&](store::WriteBatch& batch) -> absl::Status {
          if (row.refuse_every > 0 && i % row.refuse_every == 0) {
            return absl::InvalidArgumentError("refused");
          }
          return TakeNumber(batch, &taken[i]);
        });
      });
    }
    for (std::thread& t : threads) t.join();

    std::set<uint64_t> numbers;
    int accepted = 0;
    for (int i = 0; i < row.callers; ++i) {
      const bool refused = row.refuse_every > 0 && i % row.refuse_every == 0;
      if (refused) {
        EXPECT_EQ(results[i].code(), absl::StatusCode::kInvalidArgument) << i;
      } else if (row.finish_fails) {
        EXPECT_EQ(results[i].code(), absl::StatusCode::kUnavailable) << i;
      } else {
        EXPECT_TRUE(results[i].ok()) << i << ": " << results[i];
        numbers.insert(taken[i]);
        ++accepted;
      }
    }
    if (row.finish_fails) {
      EXPECT_FALSE(Has(kKey));
      EXPECT_FALSE(Has("finished"));
      continue;
    }
    // Every accepted caller got its own number, 1..accepted, all stored.
    EXPECT_EQ(static_cast<int>(numbers.size()), accepted);
    EXPECT_EQ(*numbers.begin(), 1u);
    EXPECT_EQ(*numbers.rbegin(), static_cast<uint64_t>(accepted));
    EXPECT_EQ(Stored(kKey), static_cast<uint64_t>(accepted) + 1);
    for (uint64_t n : numbers) EXPECT_TRUE(Has(absl::StrCat("n", n))) << n;
    EXPECT_EQ(finished_steps, accepted);
  }
}

TEST_F(GroupCommitTest, StepsQueuedWhileAGroupCommitsShareTheNextCommit) {
  // GC: the whole point — callers that arrive while a commit runs are
  // committed together by the next leader, in one write.
  GroupCommit group(&t_->store(), &t_->publisher(), &t_->metrics());
  absl::Notification entered;
  absl::Notification release;
  constexpr int kFollowers = 7;
  std::thread first([&] {
    uint64_t n = 0;
    EXPECT_TRUE(group
                    .Run([&](store::WriteBatch& batch) {
                      entered.Notify();
                      release.WaitForNotification();
                      return TakeNumber(batch, &n);
                    })
                    .ok());
  });
  // The first caller leads and is held inside its step; the others queue.
  entered.WaitForNotification();
  std::vector<std::thread> followers;
  std::vector<uint64_t> taken(kFollowers, 0);
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] {
      EXPECT_TRUE(group
                      .Run([&](store::WriteBatch& batch) {
                        return TakeNumber(batch, &taken[i]);
                      })
                      .ok());
    });
  }
  while (group.Waiting() != kFollowers) absl::SleepFor(absl::Milliseconds(1));
  release.Notify();
  first.join();
  for (std::thread& t : followers) t.join();
  EXPECT_EQ(Stored(kKey), kFollowers + 2u);
  // Two commits: the first caller alone, then the seven together.
  const std::string metrics = t_->metrics().Render();
  EXPECT_NE(metrics.find("caserelay_intake_group_commit_steps_count 2"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("caserelay_intake_group_commit_steps_sum 8"),
            std::string::npos)
      << metrics;
}

class IntakeGroupCommitTest : public svctest::StoreFixture {
 protected:
  IntakeGroupCommitTest() : StoreFixture(ColumnFamilies()) {}
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreFixture::SetUp());
    t_->set_auth(&caller_);
    service_ = NewIntakeService(*t_);
  }
  svctest::FixedCaller caller_{"service:web"};
  std::unique_ptr<IntakeServiceImpl> service_;
};

TEST_F(IntakeGroupCommitTest, ConcurrentSubmissionsGetDistinctNumbersAndRetriesTheirFirst) {
  // GC with Submit's step: 24 submitters, every third one sending the
  // request_id of the one before it (request_ids.h: the same caller, the
  // same petition, the same case).
  constexpr int kSubmitters = 24;
  std::vector<std::string> cases(kSubmitters);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kSubmitters; ++i) {
    threads.emplace_back([&, i] {
      caserelay::v1::SubmitPetitionRequest req = ValidPetition();
      const int id = i % 3 == 2 ? i - 1 : i;
      req.set_request_id(absl::StrCat("req-", id));
      req.mutable_matter()->set_text(absl::StrCat("某公司拖欠工资。", id));
      grpc::ServerContext ctx;
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s = service_->SubmitPetition(&ctx, &req, &resp);
      if (!s.ok()) {
        ++failures;
        ADD_FAILURE() << i << ": " << s.error_message();
      }
      cases[i] = resp.case_number();
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  std::set<std::string> distinct;
  for (int i = 0; i < kSubmitters; ++i) {
    if (i % 3 == 2) {
      EXPECT_EQ(cases[i], cases[i - 1]) << i;
    } else {
      EXPECT_TRUE(distinct.insert(cases[i]).second) << cases[i];
    }
  }
  // Numbered 000001.. without a gap (the counter read through the batch).
  for (int n = 1; n <= static_cast<int>(distinct.size()); ++n) {
    EXPECT_EQ(distinct.count(absl::StrFormat("140431-20261122-%06d", n)), 1u)
        << n;
  }
  EXPECT_EQ(t_->Published("petitions").size(), distinct.size());
}

}  // namespace
}  // namespace caserelay::intake
