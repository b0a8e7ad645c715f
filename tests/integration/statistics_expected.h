// The statistics and bulletins the two simulated years must produce
// (issue 17, "Must show"), computed by the test from the scripts alone
// (simulation_script.h), by the definitions written on statistics.proto
// VolumeFigures, supervision.proto Indicators and the bulletins' contract
// (services/statistics/bulletins/README.md, compose.h): not by the
// service's code. The names the bulletins print (offices, regions,
// categories, channels, outcomes, ratings, 督办 levels) are spelled out
// here from data/offices, data/regions and domain/names' tables.
//
// Red lights and 督办 of a period follow from the script's days only for
// periods whose boundaries are in sim::Boundaries() (the script keeps
// every late deadline's due range clear of them), and only when the clock
// visits every day (an instrument is issued the day after the due).
//
// Thread safety: pure functions.

#ifndef CASERELAY_TESTS_INTEGRATION_STATISTICS_EXPECTED_H_
#define CASERELAY_TESTS_INTEGRATION_STATISTICS_EXPECTED_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/simulation_script.h"

namespace caserelay::testing::sim {

// One simulated year: the script's day d happens on day d + day_offset
// (days from 2026-01-01).
struct Year {
  Script script;
  int day_offset;         // -365: 2025; 0: 2026
  int petitioner_offset;  // keeps the years' petitioners apart
  int index_offset;       // keeps request ids apart
};

// Figures by name ("cases", "ch/online", "cat/labour", "online/num", ...),
// zeros left out.
using Figures = std::map<std::string, int64_t>;

// The VolumeFigures of the petitions received on days [from, to) (absolute
// days) and registered by an office `in_scope` accepts.
Figures ExpectedVolume(const std::vector<Year>& years, int from, int to,
                       const std::function<bool(const std::string&)>& in_scope);

// True if `office`'s region is `region` or below it ("" : every office).
bool OfficeWithin(const std::string& office, const std::string& region);

// A table of a bulletin: its rows of fields, the header row first.
using Table = std::vector<std::vector<std::string>>;
// A bulletin's CSV: the tables by their name (the line above each), and
// "" for the first line (title, period).
using Tables = std::map<std::string, Table>;

// What the bulletin of the bureau of `bureau_region` (one of the script's
// regions) over days [from, to) must say, as its CSV's tables; `title`
// ("长治市信访局 周通报 2026年第1期") and `period` ("2026年9月") are its
// first line.
Tables ExpectedBulletin(const std::vector<Year>& years,
                        const std::string& bureau_region,
                        const std::string& title, const std::string& period,
                        int from, int to);

// The bulletin's text formats (bulletins/README.md): "62.5%" (one decimal,
// half away from zero), "+12.5%" / "-3.0%" / "0.0%" for a change against a
// base, "+2.1个百分点" for a change of a rate; "—" without a base.
std::string PercentText(int64_t numerator, int64_t denominator);
std::string ChangeText(int64_t current, int64_t base);
std::string PointChangeText(int64_t n1, int64_t d1, int64_t n0, int64_t d0);

}  // namespace caserelay::testing::sim

#endif  // CASERELAY_TESTS_INTEGRATION_STATISTICS_EXPECTED_H_
