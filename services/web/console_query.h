// A console list's query string into its service request (工作台查询条件):
// each parameter names a field of the request message, filled through
// protobuf's JSON mapping, so the service's own types check the values
// (enum names, RFC 3339 times) and the gateway adds no rule.
//
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_WEB_CONSOLE_QUERY_H_
#define CASERELAY_SERVICES_WEB_CONSOLE_QUERY_H_

#include <google/protobuf/message.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace caserelay::web {

struct QueryParam {
  enum class Kind {
    kString,  // the value as it is
    kList,    // comma-separated values: a repeated field
    kTime,    // RFC 3339, or a day "YYYY-MM-DD": its start, China time
    kNumber,  // a whole number
  };
  const char* param;  // "due_before"
  const char* field;  // "due_before"; a dot goes into a message field
                      // ("scope.region_code")
  Kind kind;
};

// Fills `request` from `query` by `params`; empty values are skipped,
// parameters named in `own` (the handler reads them itself, e.g.
// "format") are left out. INVALID_ARGUMENT whose message is the parameter
// for a parameter neither in `params` nor in `own`, or a value the
// request's field does not take (*request is then unspecified).
absl::Status QueryToRequest(const std::map<std::string, std::string>& query,
                            const std::vector<QueryParam>& params,
                            const std::vector<std::string>& own,
                            google::protobuf::Message* request);

}  // namespace caserelay::web

#endif  // CASERELAY_SERVICES_WEB_CONSOLE_QUERY_H_
