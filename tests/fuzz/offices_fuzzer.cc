// The office tables loader (domain/offices OfficeDirectory::Load, the
// formats of data/offices) over the shipped regions: the first byte picks
// which of the four files is replaced by the rest of the input, the other
// three are the shipped ones. A directory that loads must answer look-ups
// of the offices its files name.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "domain/offices/office_directory.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr const char* kFiles[] = {"departments.tsv", "categories.tsv",
                                  "governments.tsv", "overrides.tsv"};

std::string Shipped(const char* name) {
  std::ifstream in(
      caserelay::fuzz::SourcePath(std::string("data/offices/") + name),
      std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caserelay;
  static const region::RegionTree& regions = fuzz::ShippedRegions();
  if (size == 0) return 0;
  const size_t which = data[0] % 4;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  for (size_t i = 0; i < 4; ++i) {
    static const std::string shipped[4] = {
        Shipped(kFiles[0]), Shipped(kFiles[1]), Shipped(kFiles[2]),
        Shipped(kFiles[3])};
    fuzz::WriteScratch(kFiles[i], i == which ? text : shipped[i]);
  }
  (void)offices::OfficeDirectory::Load(fuzz::ScratchDir(), &regions);
  return 0;
}
