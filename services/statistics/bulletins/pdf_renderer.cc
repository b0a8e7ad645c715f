#include "services/statistics/bulletins/pdf_renderer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file/file.h"

extern char** environ;

namespace caserelay::bulletins {
namespace {

constexpr size_t kErrorTail = 2000;  // bytes of the renderer's output kept

// The child's exit, or the reason there is none.
struct Outcome {
  bool timed_out = false;
  int wait_status = 0;
  std::string output;  // stdout and stderr, the last kErrorTail bytes
};

// Runs `argv` with stdin from /dev/null and stdout+stderr into a pipe,
// in its own process group, until it exits or `timeout` passes (then the
// group is killed). Errors: UNAVAILABLE if it cannot be started.
absl::StatusOr<Outcome> Run(const std::vector<std::string>& argv,
                            absl::Duration timeout) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::UnavailableError(
        absl::StrCat("pipe for the PDF renderer: ", std::strerror(errno)));
  }
  absl::Cleanup close_read = [&] { close(pipe_fds[0]); };
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned =
      posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (spawned != 0) {
    return absl::UnavailableError(absl::StrCat("cannot start the PDF renderer ",
                                               argv[0], ": ",
                                               std::strerror(spawned)));
  }
  Outcome outcome;
  const absl::Time deadline = absl::Now() + timeout;
  bool open = true;
  while (open) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      outcome.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd pfd{pipe_fds[0], POLLIN, 0};
    int ready = poll(&pfd, 1,
                     static_cast<int>(std::min<int64_t>(
                         absl::ToInt64Milliseconds(left) + 1, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buffer[4096];
    ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      open = false;
      break;
    }
    outcome.output.append(buffer, static_cast<size_t>(n));
    if (outcome.output.size() > 2 * kErrorTail) {
      outcome.output.erase(0, outcome.output.size() - kErrorTail);
    }
  }
  // The pipe closed (the child and any of its children are done with it)
  // or the group was killed: reap it. A child that closed its output but
  // keeps running past the deadline is killed too.
  while (true) {
    pid_t done = waitpid(pid, &outcome.wait_status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (absl::Now() >= deadline && !outcome.timed_out) {
      outcome.timed_out = true;
      kill(-pid, SIGKILL);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (outcome.output.size() > kErrorTail) {
    outcome.output.erase(0, outcome.output.size() - kErrorTail);
  }
  return outcome;
}

}  // namespace

absl::StatusOr<std::unique_ptr<WeasyPrintRenderer>> WeasyPrintRenderer::Create(
    WeasyPrintOptions options) {
  if (options.program.empty()) {
    return absl::InvalidArgumentError("bulletins.weasyprint: empty program");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "bulletins.pdf_timeout: must be more than 0 seconds");
  }
  return std::unique_ptr<WeasyPrintRenderer>(
      new WeasyPrintRenderer(std::move(options)));
}

absl::StatusOr<std::string> WeasyPrintRenderer::Render(
    absl::string_view html) const {
  std::string scratch = options_.scratch_dir;
  if (scratch.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    scratch = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string dir_template = absl::StrCat(scratch, "/bulletin-pdf-XXXXXX");
  if (mkdtemp(dir_template.data()) == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot make a directory in ", scratch, ": ", std::strerror(errno)));
  }
  const std::string dir = dir_template;
  absl::Cleanup remove = [&] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  };
  const std::string in = dir + "/bulletin.html";
  const std::string out = dir + "/bulletin.pdf";
  if (absl::Status written = file::WriteFileAtomically(in, html);
      !written.ok()) {
    return written;
  }
  absl::StatusOr<Outcome> run =
      Run({options_.program, "--quiet", "--encoding", "utf-8", in, out},
          options_.timeout);
  if (!run.ok()) return run.status();
  if (run->timed_out) {
    return absl::DeadlineExceededError(absl::StrCat(
        "PDF renderer ", options_.program, " ran past ",
        absl::FormatDuration(options_.timeout), " and was killed"));
  }
  if (!WIFEXITED(run->wait_status) || WEXITSTATUS(run->wait_status) != 0) {
    return absl::UnavailableError(
        absl::StrCat("PDF renderer ", options_.program, " failed (",
                     WIFEXITED(run->wait_status)
                         ? absl::StrCat("exit ", WEXITSTATUS(run->wait_status))
                         : absl::StrCat("signal ", WTERMSIG(run->wait_status)),
                     "): ", run->output));
  }
  absl::StatusOr<std::string> pdf = file::ReadFile(out);
  if (!pdf.ok() || pdf->rfind("%PDF-", 0) != 0) {
    return absl::UnavailableError(absl::StrCat(
        "PDF renderer ", options_.program, " wrote no PDF: ", run->output));
  }
  return pdf;
}

}  // namespace caserelay::bulletins
