#include "bench/pipeline/cpu.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace caserelay::bench {
namespace {

double Seconds(const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; }

}  // namespace

std::map<std::string, double> CpuSecondsByProcess() {
  std::map<std::string, double> out;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const pid_t self = getpid();
  if (DIR* proc = opendir("/proc")) {
    while (dirent* entry = readdir(proc)) {
      int pid = 0;
      if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
      std::ifstream in(std::string("/proc/") + entry->d_name + "/stat");
      std::string stat((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
      // pid (comm) state ppid ... utime(14) stime(15): comm may hold
      // spaces, so split after its closing parenthesis.
      const size_t open = stat.find('(');
      const size_t close = stat.rfind(')');
      if (open == std::string::npos || close == std::string::npos) continue;
      std::vector<std::string> fields =
          absl::StrSplit(stat.substr(close + 2), ' ');
      int ppid = 0;
      double utime = 0;
      double stime = 0;
      // fields[0] is the state (field 3), so field n is fields[n - 3].
      if (fields.size() < 13 || !absl::SimpleAtoi(fields[1], &ppid) ||
          ppid != self || !absl::SimpleAtod(fields[11], &utime) ||
          !absl::SimpleAtod(fields[12], &stime)) {
        continue;
      }
      out[stat.substr(open + 1, close - open - 1)] += (utime + stime) / ticks;
    }
    closedir(proc);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  out["bench"] = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  return out;
}

}  // namespace caserelay::bench
