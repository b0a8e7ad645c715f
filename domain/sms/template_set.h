// SMS templates (短信模板): one Chinese message text per trigger, kept as data
// files so wording changes need no rebuild.
//
// A template file is <dir>/<trigger>.txt, UTF-8, holding one message text
// with `{variable}` placeholders (names are [a-z][a-z0-9_]*). A leading
// UTF-8 byte-order mark and trailing line breaks are dropped. There is no
// escape for literal braces: a brace that does not open or close a
// placeholder is an error. data/sms/templates/README.md lists the triggers
// and their variables; StandardTriggers() (triggers.h) is the contract.
//
// Typical use at start-up, failing fast on any error:
//   absl::StatusOr<TemplateSet> templates =
//       TemplateSet::Load(dir, StandardTriggers());

#ifndef CASERELAY_DOMAIN_SMS_TEMPLATE_SET_H_
#define CASERELAY_DOMAIN_SMS_TEMPLATE_SET_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace caserelay::sms {

// A loaded, checked set of templates, one per trigger.
// Immutable after Load; thread-safe for concurrent const use. Copyable and
// movable.
class TemplateSet {
 public:
  // Reads and checks <dir>/<trigger>.txt for every trigger in `required`,
  // where required[trigger] is the exact set of variables that trigger's
  // template must use (each at least once) and the only ones it may use.
  // On success returns the set; on failure returns no set and:
  //   INVALID_ARGUMENT if `required` is empty, names a trigger or variable
  //     that is not [a-z][a-z0-9_]*, or declares a forbidden variable
  //     (IsForbiddenVariable in triggers.h: ID numbers, accusation content,
  //     personal data) — naming the trigger and variable;
  //   NOT_FOUND if `dir` is not a readable directory, or a trigger has no
  //     template file — naming the path;
  //   FAILED_PRECONDITION naming the file (and the variable or byte offset)
  //     if a template is empty or not valid UTF-8, has an unbalanced brace or
  //     a bad placeholder name, uses a variable not declared for its trigger,
  //     or leaves out a declared variable; also if <dir> holds a .txt file
  //     for a trigger that is not declared (a misnamed or stale template).
  static absl::StatusOr<TemplateSet> Load(
      const std::string& dir,
      const std::map<std::string, std::set<std::string>>& required);

  // Returns the text of `trigger`'s template with every placeholder replaced
  // by its value from `vars` (substituted once: braces inside a value are
  // kept as they are). The result is UTF-8; segment it with SegmentUcs2.
  // Errors:
  //   NOT_FOUND if `trigger` was not loaded;
  //   INVALID_ARGUMENT naming the variable if a declared variable is
  //     missing from `vars` or has an empty or non-UTF-8 value, or if `vars`
  //     holds a variable not declared for `trigger` (so personal data cannot
  //     ride along by mistake).
  absl::StatusOr<std::string> Render(
      std::string_view trigger,
      const std::map<std::string, std::string>& vars) const;

  // Returns the loaded trigger names, sorted.
  std::vector<std::string> Triggers() const;

 private:
  // One piece of a parsed template: literal text, or a variable to fill in.
  struct Piece {
    bool is_variable;
    std::string text;  // the literal, or the variable name
  };
  struct Template {
    std::vector<Piece> pieces;
    std::set<std::string> variables;  // exactly the declared set
  };

  explicit TemplateSet(std::map<std::string, Template, std::less<>> templates)
      : templates_(std::move(templates)) {}

  static absl::StatusOr<Template> Parse(const std::string& path,
                                        std::string_view text);

  std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace caserelay::sms

#endif  // CASERELAY_DOMAIN_SMS_TEMPLATE_SET_H_
