// Where the CPU goes, per process: the CPU seconds (user + system) each
// child process of the benchmark (devbroker and the services the harness
// started) and the benchmark itself have used, read from /proc. Two
// snapshots around a run give each process's share of it (issue 20 item
// 1: "find where the time goes per service").
#ifndef CASERELAY_BENCH_PIPELINE_CPU_H_
#define CASERELAY_BENCH_PIPELINE_CPU_H_

#include <map>
#include <string>

namespace caserelay::bench {

// Process name (its /proc comm: "intake", "routing", "supervision",
// "notificatio" — comm keeps 15 characters —, "devbroker", ...; the same
// name twice is summed) -> CPU seconds used so far, for every live child of
// this process, plus "bench" for this process itself (its submitters and
// watcher). A process that ends between listing and reading is left out.
std::map<std::string, double> CpuSecondsByProcess();

}  // namespace caserelay::bench

#endif  // CASERELAY_BENCH_PIPELINE_CPU_H_
