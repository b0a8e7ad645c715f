#include "tests/fuzz/fuzz_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace caserelay::fuzz {

const std::string& ScratchDir() {
  static const std::string* dir = [] {
    // Memory-backed when there is /dev/shm: the loaders' targets write a
    // file per input.
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec)) base = "/dev/shm";
    std::string pattern = absl::StrCat(base, "/caserelay-fuzz-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("fuzz set-up: mkdtemp");
      std::abort();
    }
    auto* made = new std::string(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return made;
  }();
  return *dir;
}

std::string WriteScratch(const std::string& name, std::string_view bytes,
                         int mode) {
  const std::string path = absl::StrCat(ScratchDir(), "/", name);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "fuzz set-up: cannot write %s\n", path.c_str());
      std::abort();
    }
  }
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    std::perror("fuzz set-up: chmod");
    std::abort();
  }
  return path;
}

std::string SourcePath(std::string_view relative) {
  return absl::StrCat(CASERELAY_SOURCE_DIR, "/", std::string(relative));
}

const region::RegionTree& ShippedRegions() {
  static const region::RegionTree* regions =
      OrDie(region::RegionTree::Load(SourcePath("data/regions/regions.tsv")))
          .release();
  return *regions;
}

const offices::OfficeDirectory& ShippedOffices() {
  static const offices::OfficeDirectory* directory =
      OrDie(offices::OfficeDirectory::Load(SourcePath("data/offices"),
                                           &ShippedRegions()))
          .release();
  return *directory;
}

}  // namespace caserelay::fuzz
