// Issue 14 "Must show": personal data appears in no log, metric, Kafka
// record, error message or store file of an integration run. Petitions
// with distinctive names, ID numbers, phones and addresses go through all
// four services (routing registers them, supervision arms their
// deadlines, notification asks intake for the phone and sends the receipt
// SMS to the development sink); then every process's log, every record of
// every topic, every service's /metrics, every file under every service's
// RocksDB directory (SST, WAL, MANIFEST, read raw) and every value of every
// column family of every store (read through RocksDB after the services
// stop, so compression cannot hide anything) are searched for each piece
// in clear: UTF-8, and UTF-16 (big- and little-endian, as UCS-2 SMS carry
// text) for the name and address.
//
// The SMS sink is the gateway's side (what a phone receives): it must hold
// each phone, which shows the run did reach notification.

#include <librdkafka/rdkafkacpp.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/kafka/consumer.h"
#include "common/kafka/rdkafka_util.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

struct Person {
  std::string name, id_number, phone, address;
};

// A GB 11643 number: 17 digits and the MOD 11-2 check character.
std::string IdNumber(const std::string& first17) {
  static const int kWeights[] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                 3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

// UTF-16 of a UTF-8 string of BMP characters, big- or little-endian.
std::string Utf16(const std::string& utf8, bool big_endian) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    uint32_t cp;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      i += 2;
    } else {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) |
           (utf8[i + 2] & 0x3F);
      i += 3;
    }
    char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  }
  return out;
}

// Every needle to look for: label -> bytes.
std::map<std::string, std::string> Needles(const std::vector<Person>& people) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < people.size(); ++i) {
    const Person& p = people[i];
    const std::string n = absl::StrCat("#", i, " ");
    out[n + "name"] = p.name;
    out[n + "name UTF-16BE"] = Utf16(p.name, true);
    out[n + "name UTF-16LE"] = Utf16(p.name, false);
    out[n + "ID number"] = p.id_number;
    out[n + "phone"] = p.phone;
    out[n + "address"] = p.address;
    out[n + "address UTF-16BE"] = Utf16(p.address, true);
    out[n + "address UTF-16LE"] = Utf16(p.address, false);
  }
  return out;
}

// "<where>: <label>" for each needle found in `haystack`.
void Search(const std::string& where, const std::string& haystack,
            const std::map<std::string, std::string>& needles,
            std::vector<std::string>* found) {
  for (const auto& [label, bytes] : needles) {
    if (haystack.find(bytes) != std::string::npos) {
      found->push_back(absl::StrCat(where, ": ", label));
    }
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every record of every topic on the broker, from the beginning, until
// none came for `quiet` (and at least `min_records` were read).
std::vector<kafka::Message> ReadEveryTopic(const std::string& bootstrap,
                                           size_t min_records) {
  std::vector<kafka::Message> out;
  auto client = kafka::MetadataClient(bootstrap, {}, "pii test");
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return out;
  RdKafka::Metadata* raw = nullptr;
  EXPECT_EQ((*client)->metadata(true, nullptr, &raw, 10000),
            RdKafka::ERR_NO_ERROR);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  kafka::ConsumerOptions options;
  options.bootstrap = bootstrap;
  options.group_id = absl::StrCat("pii-test-", getpid());
  for (const auto* topic : *metadata->topics()) {
    if (topic->topic().rfind("__", 0) != 0) {
      options.topics.push_back(topic->topic());
    }
  }
  EXPECT_GE(options.topics.size(), 4u) << "the four topics at least";
  auto consumer = kafka::CreateKafkaConsumer(
      options, [](const std::string&, int32_t) { return std::nullopt; });
  EXPECT_TRUE(consumer.ok()) << consumer.status();
  if (!consumer.ok()) return out;
  absl::Time last = absl::Now();
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (absl::Now() < give_up) {
    auto batch = (*consumer)->Poll(500, absl::Milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    if (!batch->empty()) last = absl::Now();
    for (auto& m : *batch) out.push_back(std::move(m));
    if (out.size() >= min_records && absl::Now() - last > absl::Seconds(4)) {
      break;
    }
  }
  return out;
}

// The RocksDBs of a service's store.path: the directory itself, or with
// partitioned state (common/store/partitioned_store.h) every partition DB
// (p<NNN>) and the instance-local one (local) beneath it.
std::vector<std::string> StoreDirs(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::exists(fs::path(path) / "CURRENT")) return {path};
  std::vector<std::string> dbs;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
    if (e.is_directory() && fs::exists(e.path() / "CURRENT")) {
      dbs.push_back(e.path().string());
    }
  }
  std::sort(dbs.begin(), dbs.end());
  return dbs;
}

// Every key and value of every column family of the RocksDB at `path`.
void SearchStore(const std::string& path,
                 const std::map<std::string, std::string>& needles,
                 std::vector<std::string>* found, size_t* records) {
  std::vector<std::string> families;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &families);
  ASSERT_TRUE(s.ok()) << path << ": " << s.ToString();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& f : families)
    descriptors.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors,
                                   &handles, &raw);
  ASSERT_TRUE(s.ok()) << path << ": " << s.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < handles.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++*records;
      Search(absl::StrCat(path, " [", families[i], "] ", it->key().ToString()),
             it->key().ToString() + '\n' + it->value().ToString(), needles,
             found);
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

TEST(PiiLeakTest, NoPersonalDataInLogsTopicsMetricsErrorsOrStores) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  const std::vector<Person> people = {
      {"欧阳雪芙", IdNumber("14043119870521683"), "13934527186",
       "沁源县琥珀巷十七号"},
      {"司马云璟", IdNumber("14042619921103457"), "15803549271",
       "长治市潞州区翡翠胡同二十九号"},
      {"Zhuge Lanxin", IdNumber("14043119650818219"), "18635107624",
       "Qinyuan Amber Lane 41"},
  };
  const auto needles = Needles(people);

  // Submitted, and refused once each with the personal data in a field
  // intake rejects: the error must not echo it.
  std::vector<std::string> found;
  for (size_t i = 0; i < people.size(); ++i) {
    const Person& p = people[i];
    caserelay::v1::SubmitPetitionRequest req =
        SamplePetition("140431", static_cast<int>(100 + i));
    req.mutable_petitioner()->set_name(p.name);
    req.mutable_petitioner()->set_id_number(p.id_number);
    req.mutable_petitioner()->set_phone(p.phone);
    req.mutable_petitioner()->set_address(p.address);
    caserelay::v1::SubmitPetitionRequest bad_phone = req;
    bad_phone.mutable_petitioner()->set_phone(p.phone + "9");
    bad_phone.set_request_id(req.request_id() + "-bad-phone");
    caserelay::v1::SubmitPetitionRequest bad_id = req;
    std::string wrong_check = p.id_number;
    wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
    bad_id.mutable_petitioner()->set_id_number(wrong_check);
    bad_id.set_request_id(req.request_id() + "-bad-id");
    for (const auto* bad : {&bad_phone, &bad_id}) {
      grpc::ClientContext ctx;
      caserelay::v1::SubmitPetitionResponse resp;
      grpc::Status s = (*sys)->intake().SubmitPetition(&ctx, *bad, &resp);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      Search(absl::StrCat("error of #", i), s.error_message(), needles, &found);
      EXPECT_EQ(s.error_message().find(wrong_check), std::string::npos)
          << s.error_message();
    }
    grpc::ClientContext ctx;
    caserelay::v1::SubmitPetitionResponse resp;
    grpc::Status s = (*sys)->intake().SubmitPetition(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Through every service: the receipt SMS of each reached its phone.
  absl::Time until = absl::Now() + absl::Seconds(90);
  std::string sink;
  auto all_sent = [&] {
    for (const Person& p : people) {
      if (sink.find(p.phone) == std::string::npos) return false;
    }
    return true;
  };
  while (absl::Now() < until && !all_sent()) {
    absl::SleepFor(absl::Milliseconds(250));
    sink = ReadAll((*sys)->sms_sink());
  }
  ASSERT_TRUE(all_sent()) << "receipt SMS sent to every phone: " << sink;

  // Every topic (petitions, case-events, ...; at least the petitions and
  // one case event each).
  std::vector<kafka::Message> records =
      ReadEveryTopic((*sys)->bootstrap(), 2 * people.size());
  std::set<std::string> topics;
  for (const auto& m : records) {
    topics.insert(m.topic);
    Search(absl::StrCat("topic ", m.topic, " offset ", m.offset),
           m.key + '\n' + m.value, needles, &found);
  }
  EXPECT_TRUE(topics.count("petitions") && topics.count("case-events"))
      << records.size() << " records";

  for (const char* service : System::kServices) {
    auto metrics = (*sys)->AdminGet(service, "/metrics");
    ASSERT_TRUE(metrics.ok()) << service << ": " << metrics.status();
    EXPECT_FALSE(metrics->empty()) << service;
    Search(absl::StrCat(service, " /metrics"), *metrics, needles, &found);
  }

  // Files, while the services still run (the WAL holds what is not yet
  // flushed), then every store through RocksDB once they have stopped.
  auto search_files = [&](const std::string& when) {
    size_t files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator((*sys)->dir())) {
      if (!entry.is_regular_file()) continue;
      const std::string path = entry.path().string();
      if (path == (*sys)->sms_sink()) continue;  // the phone's side
      ++files;
      Search(absl::StrCat(when, " ", path), ReadAll(path), needles, &found);
    }
    return files;
  };
  size_t files = search_files("running");
  for (const char* service : System::kServices) {
    (*sys)->Kill(service, SIGTERM);
  }
  files += search_files("stopped");
  size_t store_records = 0;
  for (const char* service : System::kServices) {
    std::vector<std::string> dbs =
        StoreDirs(absl::StrCat((*sys)->dir(), "/data-", service));
    EXPECT_FALSE(dbs.empty()) << service << " has no store";
    for (const std::string& db : dbs) {
      SearchStore(db, needles, &found, &store_records);
    }
  }
  std::cout << "searched " << needles.size() << " needles in " << files
            << " files, " << records.size() << " records of " << topics.size()
            << " topics, " << store_records << " store records, 4 /metrics\n";
  EXPECT_GT(files, 20u) << "logs and the four stores' files";
  EXPECT_GT(store_records, 3 * people.size()) << "the stores were read";
  EXPECT_TRUE(found.empty()) << "personal data in clear:\n"
                             << absl::StrJoin(found, "\n");
}

}  // namespace
}  // namespace caserelay::testing
