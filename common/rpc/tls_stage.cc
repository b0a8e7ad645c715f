#include "common/rpc/tls_stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/digest/digest.h"
#include "common/log/log.h"
#include "common/rpc/files.h"
#include "common/rpc/pem_files.h"

namespace caserelay::rpc {
namespace {

// A digest of every entry of `dir`: its name, where a link points, and
// the content of what it reaches. Changes whenever a CRL is added,
// replaced, renamed or removed.
std::string DirectoryDigest(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::string all;
  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    absl::StrAppend(&all, name, "\n");
    std::string target = std::filesystem::read_symlink(path, ec).string();
    if (!ec) absl::StrAppend(&all, "-> ", target, "\n");
    auto content = ReadSmallFile(path, FileAccess::kAnyMode);
    absl::StrAppend(&all, content.ok() ? digest::Sha256(*content) : "?", "\n");
  }
  return absl::BytesToHexString(digest::Sha256(all));
}

// Writes `content` to `path` through a temporary file and one rename,
// mode 0600.
absl::Status WriteAtOnce(const std::string& path, const std::string& content) {
  std::string tmp = path + ".new";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
    }
  }
  if (chmod(tmp.c_str(), 0600) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot put ", path, " in place: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TlsStage>> TlsStage::Create(
    const TlsStageOptions& options) {
  const char* tmpdir = getenv("TMPDIR");
  std::string tmpl =
      absl::StrCat(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp",
                   "/caserelay-tls-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot make a private directory like ", tmpl, ": ",
                     std::strerror(errno)));
  }
  auto stage = std::unique_ptr<TlsStage>(new TlsStage(options, tmpl));
  absl::Status first = stage->Refresh();
  if (!first.ok()) return first;  // the destructor removes the directory
  stage->thread_ = std::thread([s = stage.get()] { s->Run(); });
  return stage;
}

TlsStage::TlsStage(TlsStageOptions options, std::string dir)
    : options_(std::move(options)),
      dir_(std::move(dir)),
      identity_path_(options_.cert_path.empty() ? "" : dir_ + "/identity.pem"),
      ca_path_(options_.ca_path.empty() ? "" : dir_ + "/ca.pem") {}

TlsStage::~TlsStage() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  std::error_code ec;  // best effort
  std::filesystem::remove_all(dir_, ec);
}

absl::Status TlsStage::Refresh() {
  absl::MutexLock lock(&refresh_mu_);
  std::string identity;
  if (!options_.cert_path.empty() || !options_.key_path.empty()) {
    auto pair =
        ReadKeyPair(options_.cert_path, options_.key_path, options_.who);
    if (!pair.ok()) return pair.status();
    identity = absl::StrCat(pair->key_pem, "\n", pair->cert_pem);
  }
  std::string ca;
  if (!options_.ca_path.empty()) {
    auto bundle = ReadCaBundle(options_.ca_path, options_.ca_role);
    if (!bundle.ok()) return bundle.status();
    ca = *std::move(bundle);
  }
  if (!options_.crl_dir.empty()) {
    absl::Status crls = CheckCrlDir(options_.crl_dir, ca, absl::Now());
    if (!crls.ok()) return crls;
    // Text outside the PEM blocks, which every PEM reader skips.
    absl::StrAppend(&identity, "\n# caserelay: CRL directory state ",
                    DirectoryDigest(options_.crl_dir), "\n");
  }
  bool changed = false;
  // The CA first: a renewal signed by a new CA must not reach gRPC before
  // the CA that verifies it.
  if (ca != staged_ca_) {
    absl::Status written = WriteAtOnce(ca_path_, ca);
    if (!written.ok()) return written;
    changed = !staged_ca_.empty();
    staged_ca_ = std::move(ca);
  }
  if (identity != staged_identity_) {
    absl::Status written = WriteAtOnce(identity_path_, identity);
    if (!written.ok()) return written;
    changed = changed || !staged_identity_.empty();
    staged_identity_ = std::move(identity);
  }
  if (changed) {
    log::Info("TLS files changed: new connections use them",
              {{"certificate", options_.cert_path},
               {"ca", options_.ca_path},
               {"crl_dir", options_.crl_dir}});
  }
  return absl::OkStatus();
}

void TlsStage::Run() {
  std::string last_error;  // logged once until it changes or clears
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.interval)) {
      break;
    }
    mu_.Unlock();
    absl::Status s = Refresh();
    std::string error(s.message());
    if (!s.ok() && error != last_error) {
      log::Error("TLS files not reloaded; new connections keep the ones in use",
                 {{"error", error}});
    }
    last_error = std::move(error);
    mu_.Lock();
  }
}

}  // namespace caserelay::rpc
