// casectl: the command line of caserelay, over gRPC.
//
//   casectl submit --name N --address A --region CODE --category C
//                  --class claim|suggestion|accusation
//                  --channel online|letter|phone|fax|visit --text T
//                  [--phone P] [--id-number ID] [--title T] [--accused U]
//                  [--request-id R]
//   casectl status CASE_NUMBER LOOKUP_CODE
//
// The intake address comes from --intake HOST:PORT, else $CASERELAY_INTAKE,
// else the endpoints file scripts/run writes (run/intake.endpoints).

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "common/file/file.h"
#include "grpcpp/grpcpp.h"

namespace {

constexpr char kUsage[] =
    "casectl — the command line of caserelay\n"
    "\n"
    "Usage:\n"
    "  casectl [--intake HOST:PORT] submit --name N --address A --region CODE\n"
    "          --category C --class claim|suggestion|accusation\n"
    "          --channel online|letter|phone|fax|visit --text T\n"
    "          [--phone P] [--id-number ID] [--title T] [--accused U]\n"
    "          [--request-id R]\n"
    "      Files a petition; prints the case number and look-up code.\n"
    "  casectl [--intake HOST:PORT] status CASE_NUMBER LOOKUP_CODE\n"
    "      Shows where the case stands, as the petitioner sees it.\n"
    "\n"
    "The intake address: --intake, else $CASERELAY_INTAKE, else the grpc=\n"
    "line of run/intake.endpoints (written by scripts/run).\n"
    "Exit codes: 0 done, 1 the service refused or failed, 2 bad usage.\n";

int Usage(const std::string& why) {
  std::fprintf(stderr, "casectl: %s (try --help)\n", why.c_str());
  return 2;
}

std::string IntakeAddress(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("CASERELAY_INTAKE"); env && *env) return env;
  auto address = caserelay::file::ReadKeyValue("run/intake.endpoints", "grpc");
  return address.ok() ? *address : "";
}

int Fail(const grpc::Status& s) {
  std::fprintf(stderr, "casectl: %s: %s\n",
               absl::StatusCodeToString(
                   static_cast<absl::StatusCode>(s.error_code()))
                   .c_str(),
               s.error_message().c_str());
  return 1;
}

template <typename Enum>
bool ParseEnum(const std::map<std::string, Enum>& names, const std::string& v,
               Enum* out) {
  auto it = names.find(v);
  if (it == names.end()) return false;
  *out = it->second;
  return true;
}

const char* StateName(caserelay::v1::CaseState s) {
  switch (s) {
    case caserelay::v1::CASE_STATE_RECEIVED:
      return "received (已登记)";
    case caserelay::v1::CASE_STATE_ROUTED:
      return "routed (已转送)";
    default:
      return "unknown";
  }
}

int Submit(caserelay::v1::IntakeService::Stub& stub,
           const std::map<std::string, std::string>& f) {
  using namespace caserelay::v1;
  SubmitPetitionRequest req;
  auto get = [&](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  req.mutable_petitioner()->set_name(get("name"));
  req.mutable_petitioner()->set_address(get("address"));
  req.mutable_petitioner()->set_phone(get("phone"));
  req.mutable_petitioner()->set_id_number(get("id-number"));
  Matter* m = req.mutable_matter();
  m->set_region_code(get("region"));
  m->set_category(get("category"));
  m->set_title(get("title"));
  m->set_text(get("text"));
  m->set_accused(get("accused"));
  req.set_request_id(get("request-id"));
  MatterClass cls = MATTER_CLASS_UNSPECIFIED;
  if (f.count("class") &&
      !ParseEnum<MatterClass>({{"claim", MATTER_CLASS_CLAIM},
                               {"suggestion", MATTER_CLASS_SUGGESTION},
                               {"accusation", MATTER_CLASS_ACCUSATION}},
                              get("class"), &cls)) {
    return Usage("--class must be claim, suggestion or accusation");
  }
  m->set_matter_class(cls);
  Channel ch = CHANNEL_UNSPECIFIED;
  if (f.count("channel") &&
      !ParseEnum<Channel>({{"online", CHANNEL_ONLINE},
                           {"letter", CHANNEL_LETTER},
                           {"phone", CHANNEL_PHONE},
                           {"fax", CHANNEL_FAX},
                           {"visit", CHANNEL_VISIT}},
                          get("channel"), &ch)) {
    return Usage("--channel must be online, letter, phone, fax or visit");
  }
  m->set_channel(ch);
  SubmitPetitionResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status s = stub.SubmitPetition(&ctx, req, &resp);
  if (!s.ok()) return Fail(s);
  std::printf("case_number: %s\nlookup_code: %s\n", resp.case_number().c_str(),
              resp.lookup_code().c_str());
  return 0;
}

int Status(caserelay::v1::IntakeService::Stub& stub, const std::string& number,
           const std::string& code) {
  caserelay::v1::GetCaseStatusRequest req;
  req.set_case_number(number);
  req.set_lookup_code(code);
  caserelay::v1::GetCaseStatusResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status s = stub.GetCaseStatus(&ctx, req, &resp);
  if (!s.ok()) return Fail(s);
  std::printf("case_number: %s\nstate: %s\n", resp.case_number().c_str(),
              StateName(resp.state()));
  if (!resp.office_code().empty()) {
    std::printf("office: %s (%s)\n", resp.office_name().c_str(),
                resp.office_code().c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string intake_flag;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (args[i] == "--intake") {
      if (i + 1 >= args.size()) return Usage("--intake needs HOST:PORT");
      intake_flag = args[++i];
    } else {
      rest.push_back(args[i]);
    }
  }
  if (rest.empty()) return Usage("no command");
  std::string address = IntakeAddress(intake_flag);
  if (address.empty()) {
    return Usage("no intake address: give --intake or start scripts/run");
  }
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = caserelay::v1::IntakeService::NewStub(channel);

  const std::string& command = rest[0];
  if (command == "submit") {
    std::map<std::string, std::string> flags;
    static const char* kKnown[] = {"name",  "address", "region",    "category",
                                   "class", "channel", "text",      "phone",
                                   "id-number", "title", "accused", "request-id"};
    for (size_t i = 1; i < rest.size(); ++i) {
      std::string flag = rest[i];
      if (flag.rfind("--", 0) != 0 || i + 1 >= rest.size()) {
        return Usage("submit takes --flag value pairs; bad: " + flag);
      }
      flag = flag.substr(2);
      bool known = false;
      for (const char* k : kKnown) known = known || flag == k;
      if (!known) return Usage("submit: unknown flag --" + flag);
      flags[flag] = rest[++i];
    }
    return Submit(*stub, flags);
  }
  if (command == "status") {
    if (rest.size() != 3) return Usage("status takes CASE_NUMBER LOOKUP_CODE");
    return Status(*stub, rest[1], rest[2]);
  }
  return Usage("unknown command " + command);
}
